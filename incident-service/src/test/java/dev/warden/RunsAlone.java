package dev.warden;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;

/**
 * A test class that runs after the others, in a test JVM of its own, while no other test
 * JVM runs (Surefire's {@code serial-test} execution, see the README's "How the suite
 * runs"): its proof is a time or a rate that another test's load on the machine would
 * bend (Slack's pace, a storm's time limit, the pipeline heartbeat's bound, the Slack
 * gateway's retry times), or it asserts how HAProxy spreads requests over two Warden JVMs
 * (strict alternation, sessions across both), which a health check failed by an instance
 * starved of CPU would change. Other tests with two Warden JVMs (configuration across
 * instances, fenced runbook steps) run with the rest: what they prove does not depend on
 * the balancing.
 * <p>
 * That JVM runs two classes at a time (JUnit's parallel execution of classes,
 * {@code warden.test.serial-parallelism}), within what each class declares:
 * <ul>
 * <li>a class whose bounds are under a second (the Slack gateway's, Slack's pace in one
 * instance) is {@link org.junit.jupiter.api.parallel.Isolated @Isolated}: nothing runs
 * beside it;</li>
 * <li>a class that {@linkplain #CORES takes the cores} (it starts Warden JVMs) runs after
 * any other such class, with at most the pipeline heartbeat beside it (its bounds are
 * seconds wide, and it mostly waits on Prometheus and Alertmanager).</li>
 * </ul>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Tag("serial")
public @interface RunsAlone {

	/**
	 * The {@link org.junit.jupiter.api.parallel.ResourceLock} of a run-alone class that
	 * takes the machine's cores for seconds at a time: it starts Warden JVMs of its own
	 * (each start keeps both cores busy for seconds) and drives load or a browser against
	 * them. Such classes run one after another; a class without the lock may run beside
	 * one of them.
	 */
	String CORES = "dev.warden.test.cores";

}
