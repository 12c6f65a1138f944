package com.airotech.connect.simulate;

import com.airotech.connect.common.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Plausible building events for one simulated site gateway: temperatures that drift, doors that
 * open and close, meters that only count up, and an occasional alarm. State is per gateway.
 */
final class EventFactory {
    private static final String[] ZONES = {"L1-Lobby", "L2-East", "L2-West", "L3-Server", "B1-Plant"};
    private static final String[] DOORS = {"north-1", "north-2", "south-1", "loading-dock", "server-room"};
    private static final String[] ALARMS = {"smoke", "intrusion", "overheat", "water_leak", "door_held_open"};
    private static final String[] SEVERITIES = {"minor", "minor", "minor", "major", "critical"};

    private final Random random;
    private final List<String> types;
    private final double[] temperature = new double[ZONES.length];
    private double kwh;

    EventFactory(List<String> types, long seed) {
        this.random = new Random(seed);
        this.types = List.copyOf(types);
        for (int i = 0; i < temperature.length; i++) temperature[i] = 20.5 + random.nextDouble() * 2;
        this.kwh = 10_000 + random.nextInt(90_000);
    }

    /** The next event type: readings often, alarms rarely. */
    String nextType() {
        for (int tries = 0; tries < 8; tries++) {
            String t = types.get(random.nextInt(types.size()));
            if (!isRare(t) || random.nextInt(10) == 0) return t;
        }
        return types.get(0);
    }

    private static boolean isRare(String type) {
        return type.contains("alarm") || type.contains("forced") || type.contains("denied") || type.contains("fault");
    }

    ObjectNode data(String type) {
        ObjectNode d = Json.object();
        int z = random.nextInt(ZONES.length);
        if (type.contains("temp")) {
            temperature[z] = clamp(temperature[z] + random.nextGaussian() * 0.15, 16, 29);
            d.put("zone", ZONES[z]).put("celsius", round(temperature[z], 1)).put("setpoint", 21.0);
        } else if (type.contains("humid")) {
            d.put("zone", ZONES[z]).put("rh_percent", round(40 + random.nextGaussian() * 4, 1));
        } else if (type.contains("co2")) {
            d.put("zone", ZONES[z]).put("ppm", 450 + random.nextInt(500));
        } else if (type.contains("door") || type.contains("badge") || type.contains("access")) {
            d.put("door", DOORS[random.nextInt(DOORS.length)]).put("badge", String.format(Locale.ROOT, "B%05d", random.nextInt(100_000)));
            if (type.contains("denied")) d.put("reason", random.nextBoolean() ? "expired" : "not_in_schedule");
        } else if (type.contains("alarm") || type.contains("fault")) {
            d.put("zone", ZONES[z]).put("kind", ALARMS[random.nextInt(ALARMS.length)])
                    .put("severity", SEVERITIES[random.nextInt(SEVERITIES.length)]).put("acknowledged", false);
        } else if (type.contains("meter") || type.contains("energy") || type.contains("power")) {
            double kw = round(35 + random.nextGaussian() * 6, 2);
            kwh = round(kwh + Math.max(0, kw) / 360, 3);
            d.put("meter", "M-" + (1 + random.nextInt(4))).put("kwh", kwh).put("kw", kw);
        } else if (type.contains("occupancy")) {
            d.put("zone", ZONES[z]).put("people", random.nextInt(60));
        } else if (type.contains("lift") || type.contains("elevator")) {
            d.put("car", "L" + (1 + random.nextInt(2))).put("floor", random.nextInt(8)).put("state", random.nextBoolean() ? "moving" : "idle");
        } else if (type.contains("fire") || type.contains("panel")) {
            boolean trouble = random.nextInt(20) == 0;
            d.put("panel", "FP-" + (1 + random.nextInt(2))).put("state", trouble ? "trouble" : "normal")
                    .put("zones_in_alarm", 0).put("battery_ok", !trouble || random.nextBoolean());
        } else if (type.contains("hvac") || type.contains("ahu")) {
            d.put("unit", "AHU-" + (1 + random.nextInt(3))).put("mode", random.nextInt(4) == 0 ? "heating" : "cooling")
                    .put("fan_percent", 30 + random.nextInt(60));
        } else {
            d.put("value", round(random.nextDouble() * 100, 2));
        }
        return d;
    }

    private static double clamp(double v, double lo, double hi) { return Math.max(lo, Math.min(hi, v)); }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
