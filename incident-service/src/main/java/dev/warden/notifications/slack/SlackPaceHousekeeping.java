package dev.warden.notifications.slack;

import java.time.Duration;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Deletes Slack pace buckets that have refilled, as a durable recurring job on one
 * instance at a time, so that channels no longer posted to do not stay in the table.
 */
@Configuration(proxyBeanMethods = false)
class SlackPaceHousekeeping {

	private static final Logger log = LoggerFactory.getLogger(SlackPaceHousekeeping.class);

	/**
	 * A full bucket is recreated full on its next turn, so this only bounds the table.
	 */
	static final Duration CLEANUP_INTERVAL = Duration.ofMinutes(10);

	@Bean
	RecurringTask<Void> slackPaceBucketCleanupTask(SlackPaces paces) {
		return Tasks.recurring("slack-pace-bucket-cleanup", Schedules.fixedDelay(CLEANUP_INTERVAL))
			.execute((instance, context) -> {
				int deleted = paces.forgetRefilled();
				if (deleted > 0) {
					log.debug("Deleted {} refilled Slack pace bucket(s)", deleted);
				}
			});
	}

}
