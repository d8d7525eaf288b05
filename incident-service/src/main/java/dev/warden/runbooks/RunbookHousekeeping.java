package dev.warden.runbooks;

import java.time.Duration;
import java.util.Map;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.warden.runbooks.docker.ContainerSelector;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Runbook housekeeping as durable recurring jobs, each on one instance at a time: ends
 * runs whose approval expired, and watches the container groups that rollback runbooks
 * name so that "the previous image" is known before a bad deploy needs rolling back.
 */
@Configuration(proxyBeanMethods = false)
class RunbookHousekeeping {

	private static final Logger log = LoggerFactory.getLogger(RunbookHousekeeping.class);

	@Bean
	RecurringTask<Void> containerImageObserverTask(RunbookCatalog catalog, ManagedContainers containers) {
		return Tasks.recurring("runbooks-image-observer", Schedules.fixedDelay(Duration.ofMinutes(1)))
			.execute((instance, context) -> {
				if (!containers.engine().isAvailable()) {
					return;
				}
				for (RunbookDefinition runbook : catalog.all()) {
					for (RunbookDefinition.Step step : runbook.steps()) {
						if (!step.action().equals(ActionSchemas.DOCKER_ROLLBACK)) {
							continue;
						}
						Map<String, String> selector = ActionSchemas.parameters(step.action(), step.parameters())
							.labels("selector");
						if (selector.values().stream().anyMatch(Templates::hasReferences)) {
							continue;
						}
						try {
							ContainerSelector group = ContainerSelector.byLabels(selector);
							containers.observe(group, containers.select(group));
						}
						catch (RuntimeException ex) {
							log.debug("Cannot observe the images of {}: {}", selector, ex.getMessage());
						}
					}
				}
			});
	}

	@Bean
	RecurringTask<Void> runbookApprovalExpiryTask(RunbookService runbooks) {
		return Tasks.recurring("runbooks-approval-expiry", Schedules.fixedDelay(Duration.ofMinutes(1)))
			.execute((instance, context) -> runbooks.expireApprovals());
	}

}
