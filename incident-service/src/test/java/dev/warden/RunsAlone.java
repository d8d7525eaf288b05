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
 * storm's time limit, the pipeline heartbeat's bound), or it runs two Warden JVMs behind
 * HAProxy, whose health checks an instance starved of CPU could fail.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Tag("serial")
public @interface RunsAlone {

}
