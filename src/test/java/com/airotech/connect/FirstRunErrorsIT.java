package com.airotech.connect;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.testing.TestGateway;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What a first run can hit, from the command line: each message names the problem and what to do. */
class FirstRunErrorsIT {
    @Test
    void aBusyPortIsNamedWithWhichListenerAndHowToChooseAnother() throws Exception {
        Path dir = TestGateway.tempDir().resolve("data");
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            MainTest.Run r = MainTest.run("serve", "--data-dir", dir.toString(), "--http-port", "0", "--https-port", Integer.toString(taken.getLocalPort()));
            assertThat(r.exit()).isNotZero();
            assertThat(r.out()).doesNotContain("listening");
            assertThat(r.err()).contains("127.0.0.1 port " + taken.getLocalPort() + " (HTTPS) is already in use")
                    .doesNotContain("(HTTP) or").contains("--https-port").contains("systemctl stop airotech-connect");
        }
    }

    @Test
    void aSecondGatewayOnTheSameDataDirectoryIsToldWhoHoldsItAndWhatToDo() throws Exception {
        try (TestGateway first = TestGateway.start()) {
            MainTest.Run r = MainTest.run("serve", "--data-dir", first.dataDir.toString(), "--http-port", "0", "--https-port", "-1");
            assertThat(r.exit()).isNotZero();
            assertThat(r.err()).contains("Another AIROTECH Connect gateway (process " + ProcessHandle.current().pid() + ") is already serving " + first.dataDir)
                    .contains("another --data-dir").contains("may share the directory");
            // the command line itself may share the directory with the running gateway
            assertThat(MainTest.run("tenant", "list", "--data-dir", first.dataDir.toString()).exit()).isZero();
        }
    }

    @Test
    void aDataDirectoryThatCannotBeCreatedSaysWhyAndWhereToGoInstead() throws Exception {
        Path file = Files.createFile(TestGateway.tempDir().resolve("not-a-directory"));
        MainTest.Run r = MainTest.run("tenant", "create", "first", "--data-dir", file.resolve("data").toString());
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains(file + " is a file, not a directory").contains("--data-dir");
    }

    @Test
    void aLostMasterKeyIsNamedWithWhatToRestoreAndNoNewKeyIsMade() throws Exception {
        Path dir = TestGateway.tempDir().resolve("data");
        assertThat(MainTest.run("tenant", "create", "site", "--data-dir", dir.toString()).exit()).isZero();
        Path key = dir.resolve("master.key");
        Files.delete(key);
        for (String[] args : new String[][] {{"tenant", "list"}, {"serve", "--http-port", "0", "--https-port", "-1"}}) {
            String[] full = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.stream.Stream.of("--data-dir", dir.toString())).toArray(String[]::new);
            MainTest.Run r = MainTest.run(full);
            assertThat(r.exit()).as(args[0]).isEqualTo(1);
            assertThat(r.err()).contains("The master key " + key + " is missing").contains("airotech.db").contains("Restore master.key");
            assertThat(key).as("no new key hides the loss").doesNotExist();
        }
    }

    @Test
    void aDamagedDatabaseIsNamedAsDamagedWithWhatToDo() throws Exception {
        Path dir = TestGateway.tempDir().resolve("data");
        assertThat(MainTest.run("tenant", "create", "site", "--data-dir", dir.toString()).exit()).isZero();
        Path db = dir.resolve("airotech.db");
        byte[] garbage = new byte[16384];
        new java.util.Random(7).nextBytes(garbage);
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(db, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(garbage), 0); // the header and first pages, as a torn copy would leave them
        }
        MainTest.Run r = MainTest.run("tenant", "list", "--data-dir", dir.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("The database " + db + " is damaged").contains("nothing was written to it")
                .contains("airotech-connect restore --from FILE --data-dir NEW_DIR").contains("move this data directory aside")
                .doesNotContain("disk has space");
    }
}
