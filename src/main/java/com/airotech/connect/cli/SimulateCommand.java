package com.airotech.connect.cli;

import com.airotech.connect.common.Json;
import com.airotech.connect.common.StopSignals;
import com.airotech.connect.simulate.Simulator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code simulate}: the demo's site gateways, posting events with the credentials of an import report. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Site gateways for a demo: post plausible events (temperatures, doors, alarms, meters) from every connector",
                "whose credential is in an import report, each the way its method requires."})
public final class SimulateCommand implements Callable<Integer> {
    @Parameters(paramLabel = "REPORT", description = "The JSON that 'airotech-connect import' printed (e.g. --output demo-credentials.json).") Path report;
    @Option(names = "--url", paramLabel = "URL", defaultValue = "http://127.0.0.1:8470", description = "The gateway's HTTP address (default ${DEFAULT-VALUE}).") URI url;
    @Option(names = "--https-url", paramLabel = "URL", defaultValue = "https://127.0.0.1:8471", description = "Its HTTPS address, for mtls gateways (default ${DEFAULT-VALUE}).") URI httpsUrl;
    @Option(names = "--rate", paramLabel = "N", defaultValue = "1", description = "Events per second per gateway (default ${DEFAULT-VALUE}; 0.2 = one every 5 s).") double rate;
    @Option(names = "--count", paramLabel = "N", defaultValue = "0", description = "Stop after N events per gateway (default: no limit).") long count;
    @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "0", description = "Stop after this many seconds (default: until Ctrl-C or SIGTERM, which also print the summary).") long seconds;

    @Override
    public Integer call() throws Exception {
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(Files.readAllBytes(report));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("The report " + report + " does not exist. Run: airotech-connect import sample-data/demo-site.json --output " + report);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(report + " is not JSON; pass the report that 'airotech-connect import' printed.");
        }
        Simulator sim = new Simulator(new Simulator.Settings(url, httpsUrl, rate, count, seconds <= 0 ? null : Duration.ofSeconds(seconds)),
                Clock.systemUTC(), System.err);
        sim.load(json);
        // Ctrl-C or SIGTERM ends the run like --duration does: the summary is still printed
        ObjectNode summary;
        try (StopSignals handled = StopSignals.handle(number -> sim.stop())) {
            summary = sim.run();
        }
        Output.print(summary);
        return summary.path("accepted").asLong() == summary.path("sent").asLong() ? 0 : 1;
    }
}
