package com.airotech.connect.site;

/** One thing wrong with a site file, where it is (1-based line and column) and what to change. */
public record SiteProblem(int line, int column, String path, String message) {
    @Override
    public String toString() {
        return "line " + line + ", column " + column + (path == null || path.isEmpty() ? "" : " (" + path + ")") + ": " + message;
    }
}
