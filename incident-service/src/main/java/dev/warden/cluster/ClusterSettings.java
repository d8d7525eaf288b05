package dev.warden.cluster;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How an instance takes part in a group of instances on one database.
 *
 * @param instanceId this instance's id, shown in the instances list and used as
 * db-scheduler's scheduler name (so {@code scheduled_tasks.picked_by} names it); unset:
 * the host name and a short random suffix, new at every start
 * @param heartbeatInterval how often the instance writes its row; an instance unseen for
 * three intervals is stale
 * @param configPollInterval how often the instance looks for a configuration version
 * recorded by another instance
 * @param forgetAfter instance rows unseen this long are deleted; longer than three
 * heartbeat intervals
 */
@ConfigurationProperties("warden.cluster")
@Validated
record ClusterSettings(
		@Size(max = 100) @Pattern(regexp = "[A-Za-z0-9._:@-]*",
				message = "may hold letters, digits and . _ : @ - only") String instanceId,
		@DefaultValue("5s") @NotNull Duration heartbeatInterval,
		@DefaultValue("1s") @NotNull Duration configPollInterval, @DefaultValue("7d") @NotNull Duration forgetAfter) {

	ClusterSettings {
		atLeast("heartbeat-interval", heartbeatInterval, Duration.ofMillis(100));
		atLeast("config-poll-interval", configPollInterval, Duration.ofMillis(100));
		atLeast("forget-after", forgetAfter, Duration.ofMinutes(1));
		if (heartbeatInterval != null && forgetAfter != null
				&& forgetAfter.compareTo(heartbeatInterval.multipliedBy(3)) <= 0) {
			// Otherwise a live instance's row could be deleted before it even turns
			// stale.
			throw new IllegalArgumentException("warden.cluster.forget-after (" + forgetAfter
					+ ") must be longer than three warden.cluster.heartbeat-interval ("
					+ heartbeatInterval.multipliedBy(3) + "), after which an instance is stale");
		}
	}

	/** How long an instance may stay unseen before it counts as stale. */
	Duration staleAfter() {
		return this.heartbeatInterval.multipliedBy(3);
	}

	private static void atLeast(String name, Duration value, Duration minimum) {
		if (value != null && value.compareTo(minimum) < 0) {
			throw new IllegalArgumentException("warden.cluster." + name + " must be at least " + minimum);
		}
	}

}
