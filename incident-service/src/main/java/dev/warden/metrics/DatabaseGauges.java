package dev.warden.metrics;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Gauges whose values come from the database, read on a schedule (every
 * {@code warden.metrics.refresh-interval}, first right after start) rather than on every
 * scrape: a scrape then costs no query and cannot take a pooled connection from the
 * webhooks, however often Prometheus scrapes. Each instance reads and exposes its own.
 * Until the first read a gauge shows NaN ("unknown"); a read that fails keeps the last
 * value and is logged, and the scrape goes on.
 */
@Component
public class DatabaseGauges {

	private static final Logger log = LoggerFactory.getLogger(DatabaseGauges.class);

	private final MeterRegistry meters;

	private final List<Refreshed> gauges = new CopyOnWriteArrayList<>();

	DatabaseGauges(MeterRegistry meters) {
		this.meters = meters;
	}

	/**
	 * Registers a gauge whose value {@code read} fetches from the database.
	 * @param name the meter's name, as for {@link Gauge#builder}
	 * @param description what it measures
	 * @param read called on the refresh schedule, never during a scrape
	 */
	public void register(String name, String description, Supplier<? extends Number> read) {
		Refreshed gauge = new Refreshed(name, read, new AtomicReference<>(Double.NaN), new AtomicBoolean());
		Gauge.builder(name, gauge.value(), AtomicReference::get).description(description).register(this.meters);
		this.gauges.add(gauge);
	}

	/** Reads every gauge's value from the database. */
	void refresh() {
		for (Refreshed gauge : this.gauges) {
			gauge.refresh();
		}
	}

	private record Refreshed(String name, Supplier<? extends Number> read, AtomicReference<Double> value,
			AtomicBoolean failing) {

		void refresh() {
			try {
				Number read = read().get();
				value().set((read != null) ? read.doubleValue() : 0);
				if (failing().compareAndSet(true, false)) {
					log.info("Metric {} is read again", name());
				}
			}
			catch (RuntimeException ex) {
				// Logged once per outage, not at every refresh.
				if (failing().compareAndSet(false, true)) {
					log.warn("Cannot read metric {}; it keeps its last value until it can: {}", name(), ex.toString());
				}
				else {
					log.debug("Cannot read metric {} yet: {}", name(), ex.toString());
				}
			}
		}

	}

}
