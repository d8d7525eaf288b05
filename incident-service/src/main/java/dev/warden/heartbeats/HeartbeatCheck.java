package dev.warden.heartbeats;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The check for silent heartbeats as a durable recurring job: db-scheduler keeps one row
 * for it, so it runs on one instance at a time however many share the database, and
 * another instance takes it over when that one dies.
 */
@Configuration(proxyBeanMethods = false)
class HeartbeatCheck {

	static final String TASK_NAME = "heartbeats-check";

	private static final Logger log = LoggerFactory.getLogger(HeartbeatCheck.class);

	@Bean
	RecurringTask<Void> heartbeatCheckTask(Heartbeats heartbeats, HeartbeatSettings settings) {
		return Tasks.recurring(TASK_NAME, Schedules.fixedDelay(settings.checkInterval()))
			.execute((instance, context) -> {
				int opened = heartbeats.check();
				if (opened > 0) {
					log.info("Opened incidents for {} silent heartbeat(s)", opened);
				}
			});
	}

}
