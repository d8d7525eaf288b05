package dev.warden.runbooks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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
 * name (a selector taking alert labels stands for one group per combination of the values
 * its runbook declares in {@code targets}) so that "the previous image" is known before a
 * bad deploy needs rolling back.
 */
@Configuration(proxyBeanMethods = false)
class RunbookHousekeeping {

	private static final Logger log = LoggerFactory.getLogger(RunbookHousekeeping.class);

	/** Groups one rollback step stands for that are watched, at most. */
	static final int MAX_OBSERVED_GROUPS = 64;

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
						for (Map<String, String> labels : declaredCombinations(runbook)) {
							try {
								ContainerSelector group = ContainerSelector
									.byLabels(ActionSchemas.parameters(step.action(), step.parameters())
										.render(labels, Map.of())
										.labels("selector"));
								containers.observe(group, containers.select(group));
							}
							catch (RuntimeException ex) {
								log.debug("Cannot observe the images of {}: {}", selector, ex.getMessage());
							}
						}
					}
				}
			});
	}

	/**
	 * Every combination of the values a runbook declares in {@code targets}, as alert
	 * labels (one empty combination when it declares none), at most
	 * {@value #MAX_OBSERVED_GROUPS}.
	 */
	static List<Map<String, String>> declaredCombinations(RunbookDefinition runbook) {
		List<Map<String, String>> combinations = new ArrayList<>();
		combinations.add(Map.of());
		for (Map.Entry<String, List<String>> target : runbook.targets().entrySet()) {
			List<Map<String, String>> next = new ArrayList<>();
			for (Map<String, String> combination : combinations) {
				for (String value : target.getValue()) {
					if (next.size() < MAX_OBSERVED_GROUPS) {
						Map<String, String> labels = new HashMap<>(combination);
						labels.put(target.getKey(), value);
						next.add(labels);
					}
				}
			}
			combinations = next;
		}
		return combinations;
	}

	@Bean
	RecurringTask<Void> runbookApprovalExpiryTask(RunbookService runbooks) {
		return Tasks.recurring("runbooks-approval-expiry", Schedules.fixedDelay(Duration.ofMinutes(1)))
			.execute((instance, context) -> runbooks.expireApprovals());
	}

}
