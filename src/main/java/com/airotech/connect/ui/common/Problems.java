package com.airotech.connect.ui.common;

import com.airotech.connect.common.ApiException;
import com.airotech.connect.store.StorageException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns a failure into a sentence for the operator; logs what is unexpected, once, here. */
public final class Problems {
    private static final Logger log = LoggerFactory.getLogger(Problems.class);

    private Problems() {}

    public static String describe(Throwable t) {
        Throwable e = t;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) e = e.getCause();
        String connection = ConnectionWords.failure(e);
        if (connection != null) return connection;
        if (e instanceof ApiException || e instanceof StorageException || e instanceof IllegalArgumentException
                || e instanceof IllegalStateException) {
            return e.getMessage();
        }
        log.error("unexpected failure in the console", com.airotech.connect.common.LogSafe.withoutMessages(e));
        return "Something unexpected failed (" + e.getClass().getSimpleName() + "). The log on standard error has the details; try again.";
    }
}
