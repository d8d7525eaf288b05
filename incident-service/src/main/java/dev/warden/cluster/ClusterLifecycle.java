package dev.warden.cluster;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Joins the instances when Warden starts (before it takes requests): records or takes in
 * the configuration versions, writes the instance's row, then heartbeats and looks for
 * new versions on Spring's scheduler. These run on every instance, not as durable jobs
 * claimed by one: each instance must keep its own row and its own files current. On a
 * graceful stop (after the web server drained its requests) it marks the row stopped.
 */
@Component
class ClusterLifecycle implements SmartLifecycle {

	private final ConfigVersions versions;

	private final Instances instances;

	private final TaskScheduler scheduler;

	private final ClusterSettings settings;

	private final List<ScheduledFuture<?>> tasks = new ArrayList<>();

	private volatile boolean running;

	ClusterLifecycle(ConfigVersions versions, Instances instances, TaskScheduler scheduler, ClusterSettings settings) {
		this.versions = versions;
		this.instances = instances;
		this.scheduler = scheduler;
		this.settings = settings;
	}

	@Override
	public synchronized void start() {
		this.versions.start();
		// Also after a stop: Spring can stop and start the lifecycle again in one process
		// (the test framework pauses contexts it does not use for a while).
		this.instances.start();
		Instant now = Instant.now();
		this.tasks.add(this.scheduler.scheduleWithFixedDelay(this.versions::poll,
				now.plus(this.settings.configPollInterval()), this.settings.configPollInterval()));
		this.tasks.add(this.scheduler.scheduleWithFixedDelay(this.instances::heartbeat,
				now.plus(this.settings.heartbeatInterval()), this.settings.heartbeatInterval()));
		this.running = true;
	}

	@Override
	public synchronized void stop() {
		this.tasks.forEach((task) -> task.cancel(false));
		this.tasks.clear();
		this.instances.stop();
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Early: started before the web server takes requests, stopped after it drained them.
	 */
	@Override
	public int getPhase() {
		return 0;
	}

}
