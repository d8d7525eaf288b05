package dev.warden.cluster;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import javax.sql.DataSource;

import dev.warden.IntegrationTest;
import dev.warden.WardenProcess;

/**
 * Several Warden instances, each its own JVM, on one PostgreSQL (the test context's
 * database) behind a real HAProxy: the way teams run Warden for availability. Instances
 * are named {@code w1}, {@code w2}, ... as HAProxy names them.
 */
public final class WardenCluster implements AutoCloseable {

	private final String name;

	private final Map<String, String> shared;

	private final List<WardenProcess> instances = new ArrayList<>();

	private final List<Map<String, String>> own = new ArrayList<>();

	private Haproxy haproxy;

	/**
	 * Starts {@code size} instances, all at once, then HAProxy in front of them.
	 * @param name a name for the logs under {@code target/}
	 * @param database the test context's data source, which every instance uses
	 * @param size how many instances
	 * @param properties properties every instance gets, over the defaults here
	 */
	public static WardenCluster start(String name, DataSource database, int size, Map<String, String> properties) {
		return start(name, database, properties, Collections.nCopies(size, Map.of()));
	}

	/**
	 * Starts one instance per entry of {@code own}, all at once (as a deployment starts
	 * its replicas; on 2 cores two starts side by side take little longer than one), each
	 * with the shared properties and its own over them (its instance id, its copy of a
	 * file), then HAProxy in front of them.
	 * @param properties properties every instance gets, over the defaults here
	 * @param own per instance, {@code w1} first, properties of its own
	 */
	public static WardenCluster start(String name, DataSource database, Map<String, String> properties,
			List<Map<String, String>> own) {
		WardenCluster cluster = new WardenCluster(name, database, properties);
		try {
			cluster.addAll(own);
			cluster.haproxy = Haproxy.start(name, cluster.instances.stream().map((instance) -> instance.port).toList());
			return cluster;
		}
		catch (RuntimeException ex) {
			cluster.close();
			throw ex;
		}
	}

	private WardenCluster(String name, DataSource database, Map<String, String> properties) {
		this.name = name;
		Map<String, String> shared = new LinkedHashMap<>(WardenProcess.database(database));
		shared.put("warden.alertmanager.bearer-token", IntegrationTest.WEBHOOK_TOKEN);
		shared.put("warden.api.token", IntegrationTest.API_TOKEN);
		shared.put("warden.incidents.stale-after", "0");
		shared.put("db-scheduler.polling-interval", "200ms");
		shared.put("db-scheduler.heartbeat-interval", "1s");
		shared.put("db-scheduler.missed-heartbeats-limit", "4");
		shared.put("spring.main.banner-mode", "off");
		shared.putAll(properties);
		this.shared = shared;
	}

	/**
	 * Starts the instances side by side and waits for all of them; when one fails, the
	 * others that started are kept (and closed with the cluster) and the failure is
	 * thrown.
	 */
	private void addAll(List<Map<String, String>> own) {
		List<CompletableFuture<WardenProcess>> starts = new ArrayList<>();
		for (Map<String, String> extra : own) {
			int index = this.own.size() + 1;
			Map<String, String> properties = new LinkedHashMap<>(this.shared);
			properties.put("warden.storage.directory",
					"target/test-data/" + this.name + "-w" + index + "-" + UUID.randomUUID());
			// Named as HAProxy names it, so that records naming an instance can be
			// checked.
			properties.put("warden.cluster.instance-id", this.name + "-w" + index);
			properties.putAll(extra);
			this.own.add(properties);
			starts.add(CompletableFuture.supplyAsync(() -> WardenProcess.start(this.name + "-w" + index, properties),
					(task) -> Thread.ofPlatform().name(this.name + "-w" + index + "-start").start(task)));
		}
		RuntimeException failure = null;
		for (CompletableFuture<WardenProcess> start : starts) {
			try {
				this.instances.add(start.join());
			}
			catch (CompletionException ex) {
				RuntimeException cause = (ex.getCause() instanceof RuntimeException runtime) ? runtime : ex;
				if (failure == null) {
					failure = cause;
				}
				else {
					failure.addSuppressed(cause);
				}
			}
		}
		if (failure != null) {
			throw failure;
		}
	}

	/** The load balancer in front of the instances. */
	public Haproxy haproxy() {
		return this.haproxy;
	}

	/** The instance HAProxy calls {@code w<number>}, counting from 1. */
	public WardenProcess instance(int number) {
		return this.instances.get(number - 1);
	}

	/**
	 * The {@code warden.cluster.instance-id} of the instance HAProxy calls
	 * {@code w<number>}, unless the test gave it another.
	 */
	public String instanceId(int number) {
		return this.own.get(number - 1).get("warden.cluster.instance-id");
	}

	/** Every instance, {@code w1} first. */
	public List<WardenProcess> instances() {
		return List.copyOf(this.instances);
	}

	/**
	 * Stops an instance gracefully (SIGTERM) and starts it again on the same port with
	 * the same properties and data directory, waiting until it is ready.
	 */
	public WardenProcess restart(int number) {
		WardenProcess old = instance(number);
		old.stop();
		WardenProcess started = WardenProcess.start(this.name + "-w" + number, old.port, this.own.get(number - 1));
		this.instances.set(number - 1, started);
		return started;
	}

	@Override
	public void close() {
		if (this.haproxy != null) {
			this.haproxy.close();
		}
		this.instances.forEach(WardenProcess::close);
	}

}
