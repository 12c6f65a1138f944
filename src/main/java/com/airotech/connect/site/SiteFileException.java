package com.airotech.connect.site;

import java.util.List;
import java.util.stream.Collectors;

/** A site file that cannot be applied; nothing of it was applied. */
public final class SiteFileException extends RuntimeException {
    private final String source;
    private final List<SiteProblem> problems;

    public SiteFileException(String source, List<SiteProblem> problems) {
        super(source + " was not applied (nothing changed): " + problems.size() + " problem(s)\n"
                + problems.stream().map(p -> "  " + source + ": " + p).collect(Collectors.joining("\n"))
                + "\nFix these and run the import again.", null, false, false);
        this.source = source;
        this.problems = List.copyOf(problems);
    }

    public String source() { return source; }
    public List<SiteProblem> problems() { return problems; }
}
