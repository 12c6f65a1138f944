package com.airotech.connect;

import com.airotech.connect.app.Platform;
import com.airotech.connect.common.Crypto;
import com.airotech.connect.common.Json;
import com.airotech.connect.common.Secret;
import com.airotech.connect.store.DataDirectory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code audit key --output FILE}: writes the audit chain's key (hex) to a new file, mode 0600, for
 * the operator to hand to an auditor who verifies an export offline (docs/audit.md). Prints the
 * key's fingerprint, never the key.
 */
@Command(name = "key", mixinStandardHelpOptions = true,
        description = "Write the audit chain's key (hex) to a new file (0600) for an auditor; prints its fingerprint, never the key.")
final class AuditKeyCommand implements Callable<Integer> {
    @Mixin CommonOptions common;
    @Option(names = "--output", required = true, paramLabel = "FILE", description = "A file that does not exist yet.") Path output;

    @Override
    public Integer call() throws IOException {
        if (Files.exists(output)) throw new IllegalArgumentException(output + " exists already; name a new file, so no key is ever overwritten.");
        try (Platform p = Platform.open(common.existingConfig())) {
            Secret key = p.audit().keyMaterial();
            try {
                DataDirectory.writeKeyFile(output, (Crypto.hex(key.bytes()) + "\n").getBytes(StandardCharsets.US_ASCII));
            } finally {
                key.destroy();
            }
            Main.print(Json.object().put("key_file", output.toAbsolutePath().toString()).put("key_fingerprint", p.audit().keyFingerprint()));
            return 0;
        }
    }
}
