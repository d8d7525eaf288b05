package dev.warden;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;

/**
 * A test class that runs in a test JVM of its own after the others, while no other test
 * runs (Surefire's {@code serial-test} execution, see the README's "Tests"): its proof is
 * a time or a rate that another test's load on the machine would bend (Slack's pace, a
 * storm's time limit, the pipeline heartbeat's bound, the Slack gateway's retry times),
 * or it asserts how HAProxy spreads requests over two Warden JVMs (strict alternation,
 * sessions across both), which a health check failed by an instance starved of CPU would
 * change. Other tests with two Warden JVMs (configuration across instances, fenced
 * runbook steps) run with the rest: what they prove does not depend on the balancing.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Tag("serial")
public @interface RunsAlone {

}
