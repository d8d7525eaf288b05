package dev.warden.incidents;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Housekeeping as a durable recurring job: expires alerts Alertmanager stopped mentioning
 * (it resends firing alerts every {@code repeat_interval}, so silence means it lost them)
 * and resolves incidents left with nothing firing. Runs on one instance at a time.
 */
@Configuration(proxyBeanMethods = false)
class StaleAlertSweep {

	static final String TASK_NAME = "incidents-stale-alert-sweep";

	private static final Logger log = LoggerFactory.getLogger(StaleAlertSweep.class);

	@Bean
	RecurringTask<Void> staleAlertSweepTask(IncidentService incidents, IncidentSettings settings) {
		return Tasks.recurring(TASK_NAME, Schedules.fixedDelay(settings.housekeepingInterval()))
			.execute((instance, context) -> {
				int expired = incidents.expireStaleAlerts();
				if (expired > 0) {
					log.info("Expired stale alerts of {} incident(s)", expired);
				}
			});
	}

}
