package com.airotech.connect.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Set;
import com.airotech.connect.common.ApiException;

/**
 * Shared checks of every fuzz target: the only failure allowed is a declared rejection (an
 * {@link ApiException} with one of the contract's codes), and no single input may take more than
 * 100 ms of this thread's CPU time (CPU time, so a busy CI machine does not make it flaky).
 */
public final class FuzzBudget {
    static final long MAX_CPU_NANOS = 100_000_000L;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private FuzzBudget() {}

    public interface Target { void run() throws Exception; }

    public static void check(Set<String> declaredCodes, Target target) {
        check(declaredCodes, Set.of(), target);
    }

    /** Like {@link #check(Set, Target)}, also allowing the named exception types (a feature's own declared refusals). */
    public static void check(Set<String> declaredCodes, Set<Class<? extends Exception>> declaredTypes, Target target) {
        long start = THREADS.getCurrentThreadCpuTime();
        try {
            target.run();
        } catch (ApiException e) {
            assertThat(declaredCodes).as("declared rejection codes").contains(e.code());
            assertThat(com.airotech.connect.gateway.ErrorStatus.of(e.kind())).isBetween(400, 499);
        } catch (Exception e) {
            if (declaredTypes.stream().noneMatch(t -> t.isInstance(e))) throw new AssertionError("undeclared exception " + e.getClass().getName(), e);
        }
        long used = THREADS.getCurrentThreadCpuTime() - start;
        assertThat(used).as("CPU time of one input (ns)").isLessThan(MAX_CPU_NANOS);
    }
}
