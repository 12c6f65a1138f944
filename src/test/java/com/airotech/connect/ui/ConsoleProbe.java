package com.airotech.connect.ui;

import com.airotech.connect.app.Platform;
import com.airotech.connect.tenant.Principal;
import com.airotech.connect.ui.overview.OverviewModel;

/** What the console's screens read, callable from the query benchmark (the models are package-private). */
public final class ConsoleProbe {
    private ConsoleProbe() {}

    /** The Overview's refresh (every 10 s and on changes), in one go, as its background task runs it. */
    public static Object overview(Platform p, Principal principal) { return OverviewModel.read(p, principal); }
}
