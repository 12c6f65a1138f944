package com.airotech.connect.delivery;

import java.util.List;

/** A page of a subscription's deliveries, newest first; {@code nextCursor} continues below (null at the end). */
public record DeliveryPage(List<DeliveryView> deliveries, String nextCursor) {
    public DeliveryPage {
        deliveries = List.copyOf(deliveries);
    }
}
