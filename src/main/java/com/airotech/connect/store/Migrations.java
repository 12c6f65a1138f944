package com.airotech.connect.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schema: the numbered scripts {@code /db/V<n>.sql} this build carries, discovered by listing the
 * folder (in the jar or on disk), applied in one write transaction with the upgrade's hook before them.
 */
final class Migrations {
    /** The operator log keeps the name it always had. */
    private static final Logger log = LoggerFactory.getLogger(Database.class);
    private static final Pattern NAME = Pattern.compile("V([1-9][0-9]{0,5})\\.sql");

    private Migrations() {}

    /**
     * Applies every script the database lacks. {@code beforeMigrations} (may be null) runs first, for an
     * existing database with scripts to apply, inside the same transaction.
     */
    static void apply(Connection c, Database.BeforeMigrations beforeMigrations) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            try {
                s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
                Set<Integer> applied = new HashSet<>();
                int current = 0;
                try (ResultSet rs = s.executeQuery("SELECT version FROM schema_version")) {
                    while (rs.next()) {
                        applied.add(rs.getInt(1));
                        current = Math.max(current, rs.getInt(1));
                    }
                }
                List<Integer> present = presentScripts();
                int newest = present.isEmpty() ? 0 : present.get(present.size() - 1);
                if (current > newest) {
                    throw new StorageException("The database was written by a newer version of AIROTECH Connect (schema "
                            + current + "). Install that version or newer.");
                }
                if (beforeMigrations != null && !applied.isEmpty() && !applied.containsAll(present)) {
                    beforeMigrations.run(current, present.stream().filter(v -> !applied.contains(v)).toList());
                }
                // every script this build carries and the database lacks, in order (features add
                // numbered scripts independently, so a lower number may arrive after a higher one)
                for (int v : present) {
                    if (applied.contains(v)) continue;
                    for (String sql : script(v)) s.execute(sql);
                    s.execute("INSERT INTO schema_version (version) VALUES (" + v + ")");
                    log.info("database migrated to schema {}", v);
                }
                s.execute("COMMIT");
            } catch (SQLException | RuntimeException e) {
                s.execute("ROLLBACK");
                throw e;
            }
        }
    }

    /** The newest schema this build can migrate to. */
    static int newestSchema() {
        List<Integer> present = presentScripts();
        return present.isEmpty() ? 0 : present.get(present.size() - 1);
    }

    /**
     * The migration scripts this build carries ({@code /db/V<n>.sql} on the class path), in order. They
     * are discovered by listing the folder, in the jar or on disk, so a feature adds its schema by
     * adding a script and nothing else.
     */
    static List<Integer> presentScripts() {
        java.net.URL anchor = Migrations.class.getResource("/db/V1.sql");
        if (anchor == null) throw new IllegalStateException("the migration scripts (/db/V1.sql …) are missing from the class path");
        TreeSet<Integer> found = new TreeSet<>();
        try {
            java.net.URI uri = anchor.toURI();
            if ("jar".equals(uri.getScheme())) {
                try (java.nio.file.FileSystem jar = jarFileSystem(uri)) {
                    collect(jar.getPath("/db"), found);
                }
            } else {
                collect(Path.of(uri).getParent(), found);
            }
        } catch (IOException | java.net.URISyntaxException e) {
            throw new IllegalStateException("cannot list the migration scripts: " + e.getMessage(), e);
        }
        return new ArrayList<>(found);
    }

    /** The jar holding the scripts, opened privately (never registered, so it cannot clash with another opener). */
    private static java.nio.file.FileSystem jarFileSystem(java.net.URI entry) throws IOException {
        String spec = entry.getRawSchemeSpecificPart();
        Path jar = Path.of(java.net.URI.create(spec.substring(0, spec.indexOf("!/"))));
        return java.nio.file.FileSystems.newFileSystem(jar, (ClassLoader) null);
    }

    private static void collect(Path dir, Set<Integer> found) throws IOException {
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            files.forEach(f -> {
                Matcher m = NAME.matcher(f.getFileName().toString());
                if (m.matches()) found.add(Integer.parseInt(m.group(1)));
            });
        }
    }

    /** The statements of script {@code version}. */
    static List<String> script(int version) {
        String name = "/db/V" + version + ".sql";
        try (InputStream in = Migrations.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing migration " + name);
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            List<String> out = new ArrayList<>();
            // statements end with ";" at the end of a line; triggers use "END;" which also ends a line
            StringBuilder cur = new StringBuilder();
            for (String line : text.split("\n")) {
                String t = line.strip();
                if (t.startsWith("--") || t.isEmpty()) continue;
                cur.append(line).append('\n');
                boolean inTrigger = cur.toString().toUpperCase().contains("CREATE TRIGGER");
                if (t.endsWith(";") && (!inTrigger || t.toUpperCase().endsWith("END;"))) {
                    out.add(cur.toString());
                    cur.setLength(0);
                }
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
