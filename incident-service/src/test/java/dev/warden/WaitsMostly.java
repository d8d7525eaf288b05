package dev.warden;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;

/**
 * A test class that spends most of its time waiting on real time (Prometheus's and
 * Alertmanager's intervals, a delivery's backoff), uses little CPU, and proves nothing
 * that a busy machine would bend (it ran among the busy test JVMs before): it runs in the
 * {@link RunsAlone run-alone} JVM instead, beside a class that takes the cores, on the
 * time that JVM would otherwise leave one slot idle (README, "How the suite runs").
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Tag("waits")
public @interface WaitsMostly {

}
