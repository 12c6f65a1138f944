package com.airotech.connect.ui.common;

/** A screen's controller: told when its screen comes into view, so it can refresh what it shows. */
public interface ScreenController {
    default void shown() { }
}
