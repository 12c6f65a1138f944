package com.airotech.connect.ingest;

import java.util.List;

public record EventPage(List<StoredEvent> events, String nextCursor) {
    public EventPage { events = List.copyOf(events); }
}
