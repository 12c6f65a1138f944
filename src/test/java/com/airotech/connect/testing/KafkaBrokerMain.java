package com.airotech.connect.testing;

/** Runs {@link KafkaBroker} as its own process (for the benchmark); prints its bootstrap, stops on SIGTERM. */
public final class KafkaBrokerMain {
    private KafkaBrokerMain() {}

    public static void main(String[] args) throws InterruptedException {
        KafkaBroker b = KafkaBroker.start();
        Runtime.getRuntime().addShutdownHook(new Thread(b::close));
        System.out.println("{\"event\":\"listening\",\"bootstrap\":\"" + b.bootstrap() + "\"}");
        System.out.flush();
        Thread.currentThread().join();
    }
}
