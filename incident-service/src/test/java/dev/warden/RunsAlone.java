package dev.warden;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;

/**
 * A test class that runs after the others, in a test JVM of its own, while none of the
 * other classes runs (Surefire's {@code serial-test} execution, see the README's "How the
 * suite runs"): its proof is a time or a rate that another test's load on the machine
 * would bend (Slack's pace, a storm's time limit, the pipeline heartbeat's bound, the
 * Slack gateway's retry times), or it asserts how HAProxy spreads requests over two
 * Warden JVMs (strict alternation, sessions across both), which a health check failed by
 * an instance starved of CPU would change. Other tests with two Warden JVMs
 * (configuration across instances, fenced runbook steps) run with the rest: what they
 * prove does not depend on the balancing.
 * <p>
 * Two of these classes run at a time (JUnit's parallel execution of classes in that JVM,
 * {@code warden.test.serial-parallelism}), but never two that {@linkplain #CORES take the
 * cores}: most of these classes wait on real time (a pace, an interval) and use little
 * CPU, so one of them beside a class that starts Warden JVMs bends nothing, while two
 * classes starting JVMs at once would starve each other.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Tag("serial")
public @interface RunsAlone {

	/**
	 * The {@link org.junit.jupiter.api.parallel.ResourceLock} of a run-alone class that
	 * takes the machine's cores for seconds at a time: it starts Warden JVMs of its own
	 * (each start keeps both cores busy) or drives a browser against them. Such classes
	 * run one after another; a class without the lock may run beside one of them.
	 */
	String CORES = "dev.warden.test.cores";

}
