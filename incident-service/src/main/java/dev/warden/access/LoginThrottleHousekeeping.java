package dev.warden.access;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Deletes sign-in buckets that have refilled, as a durable recurring job on one instance
 * at a time, so that addresses seen once do not stay in the table.
 */
@Configuration(proxyBeanMethods = false)
class LoginThrottleHousekeeping {

	private static final Logger log = LoggerFactory.getLogger(LoginThrottleHousekeeping.class);

	@Bean
	RecurringTask<Void> loginBucketCleanupTask(LoginThrottle throttle, LoginThrottleSettings settings) {
		return Tasks.recurring("console-login-bucket-cleanup", Schedules.fixedDelay(settings.window()))
			.execute((instance, context) -> {
				int deleted = throttle.forgetRefilled();
				if (deleted > 0) {
					log.debug("Deleted {} refilled sign-in bucket(s)", deleted);
				}
			});
	}

}
