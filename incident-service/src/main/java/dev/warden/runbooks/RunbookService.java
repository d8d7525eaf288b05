package dev.warden.runbooks;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.warden.access.Audit;
import dev.warden.incidents.Actor;
import dev.warden.incidents.AlertSnapshot;
import dev.warden.incidents.AlertStatus;
import dev.warden.incidents.IncidentId;
import dev.warden.incidents.IncidentChange;
import dev.warden.incidents.IncidentFollower;
import dev.warden.incidents.IncidentStatus;
import dev.warden.incidents.IncidentService;
import dev.warden.incidents.TimelineEntry;
import dev.warden.incidents.TimelineEventType;
import dev.warden.routing.Silence;
import dev.warden.routing.Silences;

import org.springframework.context.annotation.Lazy;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The runbooks module's application service: the runbooks follower of incidents' changes
 * (see {@link IncidentFollower}), which starts matching runbooks after an incident opened
 * (never for an alert a silence covers); runs them by hand, approves, cancels, pauses,
 * and plans dry-runs. Every run it creates is a row and a durable job written in the
 * caller's transaction.
 */
@Service
@Order(2)
public class RunbookService implements IncidentFollower {

	private static final Logger log = LoggerFactory.getLogger(RunbookService.class);

	static final TimelineEventType SKIPPED = new TimelineEventType("runbook.skipped");

	/** A firing alert a silence covers: recorded, but it starts nothing. */
	static final TimelineEventType SUPPRESSED = new TimelineEventType("alert.suppressed");

	static final TimelineEventType AWAITING_APPROVAL = new TimelineEventType("runbook.awaiting_approval");

	static final TimelineEventType APPROVED = new TimelineEventType("runbook.approved");

	static final TimelineEventType APPROVAL_REFUSED = new TimelineEventType("runbook.approval_refused");

	static final TimelineEventType CANCEL_REQUESTED = new TimelineEventType("runbook.cancel_requested");

	private final RunbookCatalog catalog;

	private final RunbookExecutions executions;

	private final Map<String, RunbookAction> actions;

	private final ExecutionRunner runner;

	private final IncidentService incidents;

	private final AuditTrail audit;

	private final RunbookSwitch runbookSwitch;

	private final Silences silences;

	/**
	 * Lazy: the scheduler is built from the task beans, one of which needs this service.
	 */
	private final SchedulerClient scheduler;

	private final RunbookSafetySettings safety;

	private final JdbcClient jdbc;

	private final Clock clock;

	private final TransactionTemplate transactions;

	/**
	 * The audit log of people's and tokens' changes ({@link #audit} is the runbooks'
	 * own).
	 */
	private final Audit auditLog;

	private final TransactionTemplate readOnly;

	private final RunTargets targets;

	RunbookService(RunbookCatalog catalog, RunbookExecutions executions, List<RunbookAction> actions,
			ExecutionRunner runner, IncidentService incidents, AuditTrail audit, RunbookSwitch runbookSwitch,
			Silences silences, @Lazy SchedulerClient scheduler, RunbookSafetySettings safety, JdbcClient jdbc,
			RunTargets targets, Clock clock, PlatformTransactionManager transactionManager, Audit auditLog) {
		this.catalog = catalog;
		this.executions = executions;
		this.actions = actions.stream().collect(Collectors.toUnmodifiableMap(RunbookAction::type, Function.identity()));
		this.runner = runner;
		this.incidents = incidents;
		this.audit = audit;
		this.runbookSwitch = runbookSwitch;
		this.silences = silences;
		this.scheduler = scheduler;
		this.safety = safety;
		this.jdbc = jdbc;
		this.clock = clock;
		this.transactions = new TransactionTemplate(transactionManager);
		this.readOnly = new TransactionTemplate(transactionManager);
		this.readOnly.setReadOnly(true);
		this.targets = targets;
		this.auditLog = auditLog;
	}

	@Override
	public String followerName() {
		return "runbooks";
	}

	/**
	 * Follows an incident's change after it committed, once: when the change opened the
	 * incident (firing), or Alertmanager reopened it, starts (or prepares for approval)
	 * every automatic and approval runbook that one of its firing, unsilenced alerts
	 * chooses: those whose match rules hold, or only the one its {@code runbook} label
	 * names when that one's rules hold (see {@link RunbookCatalog#automaticChoice}). A
	 * label that names anything else starts nothing and says why on the timeline. Each
	 * run is a row and a durable job written in the follower's transaction.
	 */
	@Override
	public void follow(IncidentChange change) {
		boolean opened = change.has(TimelineEventType.INCIDENT_OPENED) && change.status() != IncidentStatus.RESOLVED;
		boolean reopened = change.events()
			.stream()
			.anyMatch((event) -> event.type().equals(TimelineEventType.REOPENED)
					&& event.actor().kind() == Actor.Kind.ALERTMANAGER);
		if (opened || reopened) {
			// The alerts the change brought, as they are now: an alert that joined the
			// incident in a later change starts nothing, as it would not have then.
			Set<Object> brought = change.events()
				.stream()
				.map((event) -> event.details().get("fingerprint"))
				.filter(Objects::nonNull)
				.collect(Collectors.toSet());
			startAutomatic(change.incident(),
					this.incidents.alerts(change.incident())
						.stream()
						.filter((alert) -> brought.contains(alert.fingerprint()))
						.toList());
		}
	}

	private void startAutomatic(IncidentId incident, List<AlertSnapshot> alerts) {
		Instant now = now();
		Map<String, Silence> silenced = new LinkedHashMap<>();
		List<Silence> active = this.silences.activeAt(now);
		for (AlertSnapshot alert : alerts) {
			if (alert.status() == AlertStatus.FIRING) {
				Silences.silencing(active, alert.labels(), now).ifPresent((silence) -> {
					silenced.put(alert.fingerprint(), silence);
					timeline(incident, SUPPRESSED,
							"Alert %s is silenced by silence %s (%s, by %s, until %s): no runbook starts".formatted(
									alert.labels().getOrDefault("alertname", alert.fingerprint()), silence.id().value(),
									silence.comment(), silence.createdBy(), silence.endsAt()),
							Map.of("fingerprint", alert.fingerprint(), "silence", silence.id().value().toString()));
				});
			}
		}
		// Each runbook starts once, for the first firing alert that chooses it.
		Map<String, RunbookDefinition> chosen = new TreeMap<>();
		Map<String, AlertSnapshot> alertOf = new LinkedHashMap<>();
		for (AlertSnapshot candidate : alerts) {
			if (candidate.status() != AlertStatus.FIRING || silenced.containsKey(candidate.fingerprint())) {
				continue;
			}
			RunbookCatalog.Choice choice = this.catalog.automaticChoice(candidate.labels());
			if (choice.refusal() != null) {
				String alertName = candidate.labels().getOrDefault("alertname", candidate.fingerprint());
				timeline(incident, SKIPPED, "Alert %s starts no runbook: %s".formatted(alertName, choice.refusal()), Map
					.of("fingerprint", candidate.fingerprint(), "runbook", choice.named(), "reason", choice.refusal()));
				this.audit.record("warden", "run.refused", null,
						Map.of("runbook", choice.named(), "incident", incident.value(), "reason", choice.refusal()));
			}
			for (RunbookDefinition runbook : choice.runbooks()) {
				chosen.putIfAbsent(runbook.id(), runbook);
				alertOf.putIfAbsent(runbook.id(), candidate);
			}
		}
		for (RunbookDefinition runbook : chosen.values()) {
			AlertSnapshot alert = alertOf.get(runbook.id());
			try {
				prepare(runbook, incident, alert, ExecutionTrigger.AUTOMATIC, "warden");
			}
			catch (DataAccessException ex) {
				throw ex;
			}
			catch (RunRefused ex) {
				log.info("Runbook {} not started for {}: {}", runbook.id(), incident, ex.getMessage());
				recordRefusal(incident, runbook, ex.reason(), "warden");
			}
			catch (RuntimeException ex) {
				// A bug in one runbook's preparation must never cost the alert: record
				// and go on.
				log.error("Runbook {} could not be prepared for {}", runbook.id(), incident, ex);
				timeline(incident, SKIPPED, "Runbook %s could not start: %s".formatted(runbook.id(), ex),
						Map.of("runbook", runbook.id()));
			}
		}
	}

	/**
	 * Runs a runbook for an incident on a person's request (approval runbooks still wait
	 * for approval).
	 */
	public ExecutionView run(String runbookId, IncidentId incident, String requestedBy) {
		RunbookDefinition runbook = runbook(runbookId);
		try {
			return this.transactions.execute((status) -> {
				AlertSnapshot alert = alertFor(runbook, incident);
				RunbookExecution execution = prepare(runbook, incident, alert, ExecutionTrigger.MANUAL, requestedBy);
				this.auditLog.recordAs(requestedBy, "runbook.run", "run " + execution.id(), null, state(execution),
						Map.of("runbook", runbook.id(), "incident", incident.toString()));
				return ExecutionView.of(execution);
			});
		}
		catch (RunRefused ex) {
			// The refused transaction rolled back; the refusal itself is still worth
			// recording.
			this.transactions
				.executeWithoutResult((status) -> recordRefusal(incident, runbook, ex.reason(), requestedBy));
			throw ex;
		}
	}

	private RunbookExecution prepare(RunbookDefinition runbook, IncidentId incident, AlertSnapshot alert,
			ExecutionTrigger trigger, String requestedBy) {
		Instant now = now();
		// Per-incident limits are checked and the run recorded under one lock per runbook
		// and incident, per-target budgets under one lock per target, across instances:
		// starts of one runbook for different incidents (a storm) do not wait for each
		// other unless they act on the same target.
		this.jdbc.sql("select pg_advisory_xact_lock(hashtext(?))")
			.param("runbook:" + runbook.id() + ":incident:" + incident.value())
			.query()
			.rowSet();
		if (trigger == ExecutionTrigger.AUTOMATIC && this.runbookSwitch.isPaused()) {
			RunbookSwitch.State state = this.runbookSwitch.state();
			throw refused(incident, runbook, "automatic runs are paused (by %s%s)".formatted(state.changedBy(),
					(state.reason() != null) ? ": " + state.reason() : ""));
		}
		List<String> disallowed = runbook.disallowedTargets(alert.labels());
		if (!disallowed.isEmpty()) {
			throw refused(incident, runbook, String.join("; ", disallowed));
		}
		List<Map<String, Object>> rendered = new ArrayList<>();
		String missing = null;
		for (RunbookDefinition.Step step : runbook.steps()) {
			try {
				rendered.add(Templates.render(step.parameters(), alert.labels(), alert.annotations()));
			}
			catch (MissingTemplateValue ex) {
				missing = ex.getMessage();
				rendered.add(step.parameters());
			}
		}
		// A run that cannot fill its parameters acts on nothing: it is refused below.
		SortedSet<String> targets = (missing != null) ? new TreeSet<>() : targetKeys(runbook, rendered);
		this.targets.lock(targets);
		for (String target : targets) {
			// One run at a time per target, whichever runbook: never two actors on one
			// group.
			Optional<Long> busy = this.targets.unfinished(target);
			if (busy.isPresent()) {
				throw refused(incident, runbook,
						"run %d is still acting on %s; one run per target at a time".formatted(busy.get(), target));
			}
		}
		checkLimits(runbook, incident, targets, now).ifPresent((reason) -> {
			throw refused(incident, runbook, reason);
		});
		RunbookExecution execution = new RunbookExecution(runbook, incident, alert.fingerprint(), trigger, requestedBy,
				alert.labels(), alert.annotations(), targets.isEmpty() ? null : targets.first(), now);
		for (int i = 0; i < runbook.steps().size(); i++) {
			RunbookDefinition.Step step = runbook.steps().get(i);
			RunbookAction action = this.actions.get(step.action());
			execution.addStep(step.name(), step.action(), action != null && action.declarative(), rendered.get(i),
					step.timeout());
		}
		this.executions.saveAndFlush(execution);
		this.targets.record(execution.id(), targets, now);
		this.audit.record(requestedBy, "run.requested", execution,
				Map.of("trigger", trigger.name().toLowerCase(), "target", String.join(" ", targets)));
		if (missing != null) {
			this.runner.refuse(execution, "cannot start: " + missing);
			return execution;
		}
		if (runbook.mode() == RunbookDefinition.Mode.APPROVAL) {
			execution.awaitApproval(now.plus(this.safety.approvalTimeout()));
			timeline(incident, AWAITING_APPROVAL,
					"Runbook %s is ready and waits for approval until %s%s".formatted(runbook.id(),
							execution.approvalExpiresAt(),
							(execution.distinctApprover() && trigger == ExecutionTrigger.MANUAL)
									? " by someone other than " + requestedBy : ""),
					Map.of("runbook", runbook.id(), "execution", execution.id()));
			return execution;
		}
		ExecutionJob.schedule(this.scheduler, execution.id(), now);
		return execution;
	}

	/**
	 * Why the budgets refuse a run now, if they do: the runbook's cooldown and run limit
	 * for this incident, and for each target the runbook's cooldown and run limit counted
	 * over the runs of every runbook and incident that acted on it.
	 */
	private Optional<String> checkLimits(RunbookDefinition runbook, IncidentId incident, SortedSet<String> targets,
			Instant now) {
		Optional<Instant> last = this.executions.lastRunForIncident(runbook.id(), incident.value());
		if (last.isPresent() && last.get().plus(runbook.cooldown()).isAfter(now)) {
			return Optional.of("in cooldown: it last ran for this incident at %s and may run again after %s"
				.formatted(last.get(), last.get().plus(runbook.cooldown())));
		}
		Instant since = now.minus(runbook.limits().window());
		long forIncident = this.executions.countForIncidentSince(runbook.id(), incident.value(), since);
		if (forIncident >= runbook.limits().perIncident()) {
			return Optional.of("it already ran %d time(s) for this incident within %s (limit %d)".formatted(forIncident,
					runbook.limits().window(), runbook.limits().perIncident()));
		}
		for (String target : targets) {
			Optional<RunTargets.LastRun> lastOnTarget = this.targets.last(target);
			if (lastOnTarget.isPresent() && lastOnTarget.get().at().plus(runbook.cooldown()).isAfter(now)) {
				RunTargets.LastRun previous = lastOnTarget.get();
				return Optional.of("in cooldown: run %d of %s acted on %s at %s; it may be acted on again after %s"
					.formatted(previous.execution(), previous.runbook(), target, previous.at(),
							previous.at().plus(runbook.cooldown())));
			}
			long forTarget = this.targets.countSince(target, since);
			if (forTarget >= runbook.limits().perTarget()) {
				return Optional.of("runbooks already acted on %s %d time(s) within %s (limit %d per target)"
					.formatted(target, forTarget, runbook.limits().window(), runbook.limits().perTarget()));
			}
		}
		return Optional.empty();
	}

	private RunRefused refused(IncidentId incident, RunbookDefinition runbook, String reason) {
		return new RunRefused(runbook.id(), reason);
	}

	private void recordRefusal(IncidentId incident, RunbookDefinition runbook, String reason, String requestedBy) {
		timeline(incident, SKIPPED, "Runbook %s not started: %s".formatted(runbook.id(), reason),
				Map.of("runbook", runbook.id(), "reason", reason, "requestedBy", requestedBy));
		this.audit.record(requestedBy, "run.refused", null,
				Map.of("runbook", runbook.id(), "incident", incident.value(), "reason", reason));
	}

	/**
	 * Approves a run that waits for approval; it starts at once.
	 * @throws ApprovalRefused when the runbook requires another approver than the person
	 * who started the run (the refusal is on the incident's timeline)
	 */
	public ExecutionView approve(ExecutionId executionId, String by) {
		ExecutionView result;
		try {
			result = this.transactions.execute((status) -> approveNow(executionId, by));
		}
		catch (ApprovalRefused ex) {
			// The refused transaction rolled back; the refusal itself is recorded.
			this.transactions.executeWithoutResult((status) -> {
				RunbookExecution execution = lock(executionId);
				this.audit.record(by, "run.approval_refused", execution, Map.of("reason", ex.getMessage()));
				timeline(execution.incidentId(), APPROVAL_REFUSED, ex.getMessage(),
						Map.of("runbook", execution.runbookId(), "execution", execution.id(), "refused", by, "reason",
								"distinct-approver"));
			});
			throw ex;
		}
		if (result.status() == ExecutionStatus.CANCELLED && result.approvedBy() == null) {
			throw new IllegalExecutionTransition(result, "approved", result.outcome());
		}
		return result;
	}

	private ExecutionView approveNow(ExecutionId executionId, String by) {
		RunbookExecution execution = lock(executionId);
		Instant now = now();
		if (execution.status() == ExecutionStatus.AWAITING_APPROVAL && !now.isBefore(execution.approvalExpiresAt())) {
			// Expired: record it now (and commit) rather than waiting for the sweep.
			expire(execution, now);
			return ExecutionView.of(execution);
		}
		String before = state(execution);
		execution.approve(by, now);
		this.auditLog.recordAs(by, "runbook.approve", "run " + execution.id(), before, state(execution),
				Map.of("runbook", execution.runbookId(), "incident", execution.incidentId().toString()));
		this.audit.record(by, "run.approved", execution, Map.of());
		timeline(execution.incidentId(), APPROVED, "Runbook %s approved by %s".formatted(execution.runbookId(), by),
				Map.of("runbook", execution.runbookId(), "execution", execution.id(), "approvedBy", by));
		ExecutionJob.schedule(this.scheduler, execution.id(), now);
		return ExecutionView.of(execution);
	}

	/**
	 * Cancels a run: at once when it has not started, at the next step boundary
	 * otherwise.
	 */
	public ExecutionView cancel(ExecutionId executionId, String by) {
		return this.transactions.execute((status) -> {
			RunbookExecution execution = lock(executionId);
			Instant now = now();
			String before = state(execution);
			boolean done = execution.cancel(by, now);
			this.auditLog.recordAs(by, "runbook.cancel", "run " + execution.id(), before,
					done ? state(execution) : "cancel requested",
					Map.of("runbook", execution.runbookId(), "incident", execution.incidentId().toString()));
			this.audit.record(by, "run.cancel", execution, Map.of("immediate", done));
			if (done) {
				this.runner.recordEnd(execution);
			}
			else {
				timeline(execution.incidentId(), CANCEL_REQUESTED,
						"Cancellation of runbook %s requested by %s".formatted(execution.runbookId(), by),
						Map.of("execution", execution.id()));
				ExecutionJob.wake(this.scheduler, execution.id(), now);
			}
			return ExecutionView.of(execution);
		});
	}

	/** Ends runs whose approval window passed. */
	int expireApprovals() {
		return this.transactions.execute((status) -> {
			List<RunbookExecution> expired = this.executions.findExpiredApprovals(now());
			expired.forEach((execution) -> expire(execution, now()));
			return expired.size();
		});
	}

	private void expire(RunbookExecution execution, Instant now) {
		execution.cancel("warden", now);
		execution.finish(ExecutionStatus.CANCELLED, "approval expired at " + execution.approvalExpiresAt(), now);
		this.runner.recordEnd(execution);
	}

	/** Pauses (or resumes) every automatic run on every instance. */
	public void pauseAutomaticRuns(boolean paused, String by, String reason) {
		this.transactions.executeWithoutResult((status) -> {
			String before = this.runbookSwitch.isPaused() ? "paused" : "running";
			this.runbookSwitch.set(paused, by, reason);
			this.auditLog.recordAs(by, paused ? "automation.pause" : "automation.resume", "automatic runs", before,
					paused ? "paused" : "running", (reason != null) ? Map.of("reason", reason) : Map.of());
			this.audit.record(by, paused ? "automatic.paused" : "automatic.resumed", null,
					(reason != null) ? Map.of("reason", reason) : Map.of());
		});
	}

	/** A run's status for the audit log, like {@code awaiting_approval}. */
	private static String state(RunbookExecution execution) {
		return execution.status().name().toLowerCase(Locale.ROOT);
	}

	/** Whether automatic runs are paused, and by whom. */
	public RunbookSwitch.State automaticRuns() {
		return this.runbookSwitch.state();
	}

	/**
	 * What running the runbook for the incident would do now: the verdict of the safety
	 * rules, each step's resolved parameters and plan (targets, current and desired
	 * state). Only reads: it runs in a read-only transaction (PostgreSQL refuses any
	 * write in it) and actions plan with Docker reads only, so anyone who may look at an
	 * incident may dry-run.
	 */
	public DryRun dryRun(String runbookId, IncidentId incident) {
		RunbookDefinition runbook = runbook(runbookId);
		return this.readOnly.execute((status) -> {
			// Planning asks Docker, which may take its response timeout (90 s) to answer,
			// longer than Warden lets a transaction idle; this one only reads and holds
			// no lock, so it may wait.
			this.jdbc.sql("set local idle_in_transaction_session_timeout = 0").update();
			return plan(runbook, incident);
		});
	}

	private DryRun plan(RunbookDefinition runbook, IncidentId incident) {
		AlertSnapshot alert = alertFor(runbook, incident);
		Instant now = now();
		List<String> refusals = new ArrayList<>(runbook.disallowedTargets(alert.labels()));
		List<DryRun.PlannedStep> steps = new ArrayList<>();
		List<Map<String, Object>> rendered = new ArrayList<>();
		boolean missing = false;
		for (RunbookDefinition.Step step : runbook.steps()) {
			RunbookAction action = this.actions.get(step.action());
			try {
				Map<String, Object> parameters = Templates.render(step.parameters(), alert.labels(),
						alert.annotations());
				rendered.add(parameters);
				List<String> plan = !refusals.isEmpty() ? List.of("not planned: the run would be refused")
						: (action != null)
								? action.plan(new StepContext(0, runbook.id(), incident, parameters, now, now,
										now.plus(step.timeout()), true, List.of(), Fence.PLAN))
								: List.of("unknown action");
				steps.add(new DryRun.PlannedStep(step.name(), step.action(), parameters, plan, null));
			}
			catch (MissingTemplateValue ex) {
				missing = true;
				rendered.add(step.parameters());
				refusals.add("cannot start: " + ex.getMessage());
				steps.add(new DryRun.PlannedStep(step.name(), step.action(), step.parameters(), List.of(),
						ex.getMessage()));
			}
		}
		SortedSet<String> targets = missing ? new TreeSet<>() : targetKeys(runbook, rendered);
		for (String target : targets) {
			this.targets.unfinished(target)
				.ifPresent((busy) -> refusals.add("run %d is still acting on %s".formatted(busy, target)));
		}
		checkLimits(runbook, incident, targets, now).ifPresent(refusals::add);
		if (this.runbookSwitch.isPaused()) {
			refusals.add("automatic runs are paused (manual runs are allowed)");
		}
		steps.stream()
			.flatMap((step) -> step.plan().stream())
			.filter((line) -> line.startsWith("REFUSED"))
			.forEach(refusals::add);
		return new DryRun(runbook.id(), runbook.title(), incident.value(), runbook.mode().name().toLowerCase(),
				alert.fingerprint(), refusals, steps);
	}

	/** One execution with its steps, read in one transaction. */
	public ExecutionView execution(ExecutionId executionId) {
		return this.transactions.execute((status) -> this.executions.findById(executionId.value())
			.map(ExecutionView::of)
			.orElseThrow(() -> new RunbookNotFound("There is no runbook execution " + executionId)));
	}

	/** The executions of an incident, newest first, or the latest 100 of all. */
	public List<ExecutionView> executions(IncidentId incident) {
		return this.transactions.execute(
				(status) -> ((incident != null) ? this.executions.findByIncidentIdOrderByCreatedAtDesc(incident.value())
						: this.executions.findTop100ByOrderByCreatedAtDesc())
					.stream()
					.map(ExecutionView::of)
					.toList());
	}

	private RunbookExecution lock(ExecutionId executionId) {
		return this.executions.findByIdForUpdate(executionId.value())
			.orElseThrow(() -> new RunbookNotFound("There is no runbook execution " + executionId));
	}

	private RunbookDefinition runbook(String id) {
		return this.catalog.find(id).orElseThrow(() -> new RunbookNotFound("There is no runbook " + id));
	}

	private AlertSnapshot alertFor(RunbookDefinition runbook, IncidentId incident) {
		List<AlertSnapshot> alerts = this.incidents.alerts(incident);
		return alerts.stream().filter((alert) -> runbook.matches(alert.labels())).findFirst().orElse(alerts.getFirst());
	}

	/**
	 * What a run acts on: every Docker step's container ({@code name=...}) or selector
	 * ({@code label=value,...}, sorted), resolved. Budgets hold per target.
	 */
	private static SortedSet<String> targetKeys(RunbookDefinition runbook, List<Map<String, Object>> rendered) {
		SortedSet<String> targets = new TreeSet<>();
		for (int i = 0; i < runbook.steps().size(); i++) {
			if (runbook.steps().get(i).action().startsWith("docker.")) {
				Map<String, Object> parameters = rendered.get(i);
				Object container = parameters.get("container");
				if (container != null) {
					targets.add("name=" + container);
				}
				else if (parameters.get("selector") instanceof Map<?, ?> selector) {
					targets.add(new TreeMap<>(selector).entrySet()
						.stream()
						.map((entry) -> entry.getKey() + "=" + entry.getValue())
						.collect(Collectors.joining(",")));
				}
			}
		}
		return targets;
	}

	private void timeline(IncidentId incident, TimelineEventType type, String summary, Map<String, ?> details) {
		this.incidents.record(incident, new TimelineEntry(type, Actor.SYSTEM, summary, new LinkedHashMap<>(details)));
	}

	private Instant now() {
		return this.clock.instant().truncatedTo(ChronoUnit.MICROS);
	}

	/**
	 * What a run would do.
	 *
	 * @param runbook the runbook's id
	 * @param title its title
	 * @param incident the incident
	 * @param mode auto, approval or manual
	 * @param alertFingerprint the alert whose labels fill the parameters
	 * @param refusals why it would not run now; empty when it would
	 * @param steps each step's plan
	 */
	public record DryRun(String runbook, String title, long incident, String mode, String alertFingerprint,
			List<String> refusals, List<PlannedStep> steps) {

		/**
		 * One step's plan.
		 *
		 * @param name the step
		 * @param action its action
		 * @param parameters resolved parameters
		 * @param plan what it would do, line by line
		 * @param problem why it could not run, or null
		 */
		public record PlannedStep(String name, String action, Map<String, Object> parameters, List<String> plan,
				String problem) {
		}

	}

}
