package dev.warden.runbooks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.warden.incidents.Actor;
import dev.warden.incidents.IncidentService;
import dev.warden.incidents.TimelineEntry;
import dev.warden.incidents.TimelineEventType;

import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Drives one execution forward, step by step, as its durable job runs. State changes
 * happen in short transactions; actions run outside them. A step is marked running (and
 * committed) before its action starts, so a crash is visible on restart: a declarative
 * step is repeated, any other one ends the run as interrupted. Waits return a time to
 * resume at instead of holding a thread.
 */
@Component
class ExecutionRunner implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(ExecutionRunner.class);

	static final TimelineEventType STARTED = new TimelineEventType("runbook.started");

	static final TimelineEventType STEP_SUCCEEDED = new TimelineEventType("runbook.step.succeeded");

	static final TimelineEventType STEP_FAILED = new TimelineEventType("runbook.step.failed");

	static final TimelineEventType STEP_WAITING = new TimelineEventType("runbook.step.waiting");

	static final TimelineEventType FINISHED = new TimelineEventType("runbook.finished");

	static final TimelineEventType FAILURE_POLICY = new TimelineEventType("runbook.failure_policy");

	private final RunbookExecutions executions;

	private final Map<String, RunbookAction> actions;

	private final IncidentService incidents;

	private final AuditTrail audit;

	private final Clock clock;

	private final TransactionTemplate transactions;

	private final MeterRegistry meters;

	private final RunbookSwitch runbookSwitch;

	private final ExecutorService steps = Executors.newVirtualThreadPerTaskExecutor();

	ExecutionRunner(RunbookExecutions executions, List<RunbookAction> actions, IncidentService incidents,
			AuditTrail audit, RunbookSwitch runbookSwitch, Clock clock, PlatformTransactionManager transactionManager,
			MeterRegistry meters) {
		this.executions = executions;
		this.actions = actions.stream().collect(Collectors.toUnmodifiableMap(RunbookAction::type, Function.identity()));
		this.incidents = incidents;
		this.audit = audit;
		this.runbookSwitch = runbookSwitch;
		this.clock = clock;
		this.transactions = new TransactionTemplate(transactionManager);
		this.meters = meters;
	}

	/**
	 * Advances the execution as far as it can go now.
	 * @return when to run again (a step waits), or empty when the job is done
	 */
	Optional<Instant> advance(long executionId) {
		while (true) {
			Next next = this.transactions.execute((status) -> decide(executionId));
			if (next instanceof Next.Stop) {
				return Optional.empty();
			}
			if (next instanceof Next.ResumeAt resume) {
				return Optional.of(resume.at());
			}
			Next.Run run = (Next.Run) next;
			Timer.Sample sample = Timer.start(this.meters);
			StepResult result = runWithDeadline(run.action(), run.context());
			sample.stop(Timer.builder("warden.runbook.step.duration")
				.description("Time a runbook step's action took")
				.tag("runbook", run.context().runbookId())
				.tag("action", run.action().type())
				.tag("result", result.getClass().getSimpleName().toLowerCase())
				.register(this.meters));
			Optional<Instant> resumeAt = recordWithRetries(executionId, run.position(), result,
					run.context().deadline());
			if (resumeAt.isPresent()) {
				return resumeAt;
			}
		}
	}

	/**
	 * Records what an action did, retrying on transient trouble (a lock held by a
	 * webhook, a database blip): the action already happened, and losing its result would
	 * turn a success into an interruption.
	 */
	private Optional<Instant> recordWithRetries(long executionId, int position, StepResult result, Instant deadline) {
		for (int attempt = 1;; attempt++) {
			try {
				return this.transactions.execute((status) -> record(executionId, position, result, deadline));
			}
			catch (RuntimeException ex) {
				if (attempt >= 5) {
					throw ex;
				}
				log.warn("Cannot record step {} of execution {} yet (attempt {}): {}", position + 1, executionId,
						attempt, ex.toString());
				try {
					Thread.sleep(Duration.ofMillis(500L * attempt));
				}
				catch (InterruptedException interrupted) {
					Thread.currentThread().interrupt();
					throw ex;
				}
			}
		}
	}

	private Next decide(long executionId) {
		RunbookExecution execution = this.executions.findByIdForUpdate(executionId).orElse(null);
		if (execution == null || execution.status().isFinished()
				|| execution.status() == ExecutionStatus.AWAITING_APPROVAL) {
			return new Next.Stop();
		}
		Instant now = now();
		Optional<ExecutionStep> current = execution.currentStep();
		if (execution.isCancelRequested()) {
			current.ifPresent((step) -> step.finish(StepStatus.CANCELLED, now, List.of(), null));
			end(execution, ExecutionStatus.CANCELLED, "cancelled by " + execution.cancelRequestedBy(), now);
			return new Next.Stop();
		}
		if (execution.status() == ExecutionStatus.QUEUED) {
			if (execution.trigger() == RunbookExecution.Trigger.AUTOMATIC && execution.approvedBy() == null
					&& this.runbookSwitch.isPaused()) {
				end(execution, ExecutionStatus.CANCELLED, "automatic runs were paused before it started", now);
				return new Next.Stop();
			}
			execution.begin(now);
			timeline(execution, STARTED, "Runbook %s started (%s)".formatted(execution.runbookId(),
					(execution.approvedBy() != null) ? "approved by " + execution.approvedBy()
							: execution.trigger().name().toLowerCase() + ", requested by " + execution.requestedBy()),
					Map.of("execution", execution.id(), "steps", execution.steps().size()));
			this.audit.record(execution.requestedBy(), "run.started", execution, Map.of());
		}
		if (current.isEmpty()) {
			succeed(execution, now);
			return new Next.Stop();
		}
		ExecutionStep step = current.get();
		RunbookAction action = this.actions.get(step.action());
		if (action == null) {
			step.finish(StepStatus.FAILED, now, List.of(), "unknown action " + step.action());
			end(execution, ExecutionStatus.FAILED, "step '%s' names an unknown action".formatted(step.name()), now);
			return new Next.Stop();
		}
		if (step.status() == StepStatus.RUNNING) {
			// Marked running but never recorded: Warden stopped during the action.
			// Decided
			// before any deadline, so a takeover after a timeout still tells the truth.
			if (!step.declarative()) {
				step.finish(StepStatus.INTERRUPTED, now, List.of(), "Warden stopped while this step ran");
				stepTimeline(execution, step, STEP_FAILED,
						"interrupted by a restart; not repeated because " + step.action() + " is not safe to repeat");
				end(execution, ExecutionStatus.INTERRUPTED,
						"interrupted during step '%s', which is not safe to repeat".formatted(step.name()), now);
				return new Next.Stop();
			}
			stepTimeline(execution, step, STEP_WAITING,
					"repeated after a restart (" + step.action() + " is declarative, so repeating it is safe)");
		}
		if (!now.isBefore(execution.deadline())) {
			step.finish(StepStatus.TIMED_OUT, now, List.of(), "the run's timeout passed");
			end(execution, ExecutionStatus.TIMED_OUT, "timed out during step '%s': the whole run may take %s"
				.formatted(step.name(), Duration.between(execution.startedAt(), execution.deadline())), now);
			return new Next.Stop();
		}
		if (step.deadline() != null && !now.isBefore(step.deadline())) {
			step.finish(StepStatus.TIMED_OUT, now, List.of(), "the step's timeout of " + step.timeout() + " passed");
			stepTimeline(execution, step, STEP_FAILED, "timed out after " + step.timeout());
			end(execution, ExecutionStatus.TIMED_OUT, "step '%s' timed out".formatted(step.name()), now);
			return new Next.Stop();
		}
		if (step.status() == StepStatus.WAITING && step.resumeAt() != null && now.isBefore(step.resumeAt())) {
			return new Next.ResumeAt(step.resumeAt());
		}
		boolean firstAttempt = step.attempts() == 0;
		step.start(now);
		if (firstAttempt && !action.type().equals(ActionSchemas.VERIFY_RESOLVED)
				&& !action.type().equals(ActionSchemas.WAIT)) {
			this.audit.record("warden", "step.started", execution,
					Map.of("step", step.name(), "action", step.action(), "parameters", step.parameters()));
		}
		Instant deadline = earliest(step.deadline(), execution.deadline());
		return new Next.Run(step.position(), action, new StepContext(execution.id(), execution.runbookId(),
				execution.incidentId(), step.parameters(), step.startedAt(), now, deadline, false, step.output()));
	}

	private Optional<Instant> record(long executionId, int position, StepResult result, Instant deadline) {
		RunbookExecution execution = this.executions.findByIdForUpdate(executionId).orElseThrow();
		ExecutionStep step = execution.steps().get(position);
		Instant now = now();
		if (execution.status().isFinished()) {
			return Optional.empty();
		}
		switch (result) {
			case StepResult.Done done -> {
				step.finish(StepStatus.SUCCEEDED, now, done.output(), null);
				stepTimeline(execution, step, STEP_SUCCEEDED, lastLine(done.output(), "done"));
				this.audit.record("warden", "step.succeeded", execution,
						Map.of("step", step.name(), "action", step.action(), "output", done.output()));
				execution.advance();
				return Optional.empty();
			}
			case StepResult.Failed failed -> {
				String reason = Objects.requireNonNullElse(failed.reason(), "failed without a reason");
				step.finish(StepStatus.FAILED, now, failed.output(), reason);
				stepTimeline(execution, step, STEP_FAILED, reason);
				this.audit.record("warden", "step.failed", execution,
						Map.of("step", step.name(), "action", step.action(), "reason", reason));
				end(execution, ExecutionStatus.FAILED, "step '%s' failed: %s".formatted(step.name(), reason), now);
				return Optional.empty();
			}
			case StepResult.TimedOut timedOut -> {
				step.finish(StepStatus.TIMED_OUT, now, timedOut.output(), timedOut.reason());
				stepTimeline(execution, step, STEP_FAILED, timedOut.reason());
				this.audit.record("warden", "step.timed_out", execution,
						Map.of("step", step.name(), "action", step.action(), "reason", timedOut.reason()));
				end(execution, ExecutionStatus.TIMED_OUT,
						"step '%s' timed out: %s".formatted(step.name(), timedOut.reason()), now);
				return Optional.empty();
			}
			case StepResult.WaitUntil wait -> {
				// A cancellation that arrived meanwhile is honoured now, not after the
				// wait.
				Instant resumeAt = execution.isCancelRequested() ? now : earliest(wait.resumeAt(), deadline);
				boolean firstWait = step.resumeAt() == null && step.attempts() == 1;
				step.waitUntil(resumeAt, wait.output());
				if (firstWait) {
					stepTimeline(execution, step, STEP_WAITING, lastLine(wait.output(), "waiting"));
				}
				return Optional.of(resumeAt);
			}
		}
	}

	private StepResult runWithDeadline(RunbookAction action, StepContext context) {
		Duration remaining = Duration.between(now(), context.deadline());
		if (remaining.isNegative() || remaining.isZero()) {
			return StepResult.Failed.of("no time left before the deadline");
		}
		Future<StepResult> future = this.steps.submit(() -> action.run(context));
		try {
			return future.get(remaining.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			future.cancel(true);
			return new StepResult.TimedOut("abandoned after %s; the engine may still complete what it was asked"
				.formatted(remaining.truncatedTo(ChronoUnit.SECONDS)), List.of());
		}
		catch (ExecutionException ex) {
			log.error("Runbook action {} failed unexpectedly", action.type(), ex.getCause());
			return StepResult.Failed.of("unexpected error: " + ex.getCause());
		}
		catch (InterruptedException ex) {
			// Warden is shutting down: leave the step marked running so that the instance
			// that takes the job over applies the crash rules.
			Thread.currentThread().interrupt();
			future.cancel(true);
			throw new IllegalStateException("Interrupted while running step " + action.type(), ex);
		}
	}

	/**
	 * Ends a run whose job keeps failing (a bug or lasting trouble), so it never stays
	 * running forever.
	 */
	void failStuck(long executionId, String reason) {
		this.transactions.executeWithoutResult((status) -> this.executions.findByIdForUpdate(executionId)
			.filter((execution) -> !execution.status().isFinished())
			.ifPresent((execution) -> {
				execution.currentStep()
					.filter((step) -> step.status() == StepStatus.RUNNING || step.status() == StepStatus.WAITING)
					.ifPresent((step) -> step.finish(StepStatus.FAILED, now(), List.of(), reason));
				end(execution, ExecutionStatus.FAILED, reason, now());
			}));
	}

	/** Fails a run before any step ran, with the reason on the timeline. */
	void refuse(RunbookExecution execution, String reason) {
		execution.refuse(reason, now());
		recordEnd(execution);
	}

	/**
	 * Records the end of a run that finished outside the job (refused, cancelled,
	 * expired).
	 */
	void recordEnd(RunbookExecution execution) {
		announceEnd(execution, execution.status(), execution.outcome());
	}

	private void succeed(RunbookExecution execution, Instant now) {
		end(execution, ExecutionStatus.SUCCEEDED, "all %d steps succeeded".formatted(execution.steps().size()), now);
		// Mitigated when the last action on infrastructure took effect (checks, waits and
		// messages change nothing), else when the run proved itself.
		Instant mitigatedAt = execution.steps()
			.stream()
			.filter((step) -> step.action().startsWith("docker.") && step.finishedAt() != null)
			.map(ExecutionStep::finishedAt)
			.reduce((first, second) -> second)
			.orElse(now);
		this.incidents.mitigate(execution.incidentId(), Actor.SYSTEM, mitigatedAt,
				"runbook %s succeeded".formatted(execution.runbookId()));
	}

	private void end(RunbookExecution execution, ExecutionStatus outcome, String reason, Instant now) {
		execution.finish(outcome, reason, now);
		announceEnd(execution, outcome, reason);
	}

	private void announceEnd(RunbookExecution execution, ExecutionStatus outcome, String reason) {
		this.meters
			.counter("warden.runbook.executions", "runbook", execution.runbookId(), "outcome",
					outcome.name().toLowerCase())
			.increment();
		timeline(execution, FINISHED,
				"Runbook %s finished: %s (%s)".formatted(execution.runbookId(),
						outcome.name().toLowerCase().replace('_', ' '), reason),
				Map.of("execution", execution.id(), "outcome", outcome.name().toLowerCase(), "reason", reason));
		this.audit.record("warden", "run." + outcome.name().toLowerCase(), execution, Map.of("reason", reason));
		if (outcome.isFailure()) {
			applyFailurePolicy(execution);
		}
	}

	private void applyFailurePolicy(RunbookExecution execution) {
		String summary = switch (execution.onFailure()) {
			case NOTIFY -> "Runbook %s did not fix the problem: notifying the incident's responders";
			case ESCALATE -> "Runbook %s did not fix the problem: escalating the incident";
			case LEAVE -> "Runbook %s did not fix the problem: left for a human";
		};
		timeline(execution, FAILURE_POLICY, summary.formatted(execution.runbookId()),
				Map.of("execution", execution.id(), "policy", execution.onFailure().name().toLowerCase()));
	}

	private void stepTimeline(RunbookExecution execution, ExecutionStep step, TimelineEventType type, String what) {
		timeline(execution, type,
				"Runbook %s, step %d '%s': %s".formatted(execution.runbookId(), step.position() + 1, step.name(), what),
				Map.of("execution", execution.id(), "step", step.position() + 1, "action", step.action(), "status",
						step.status().name().toLowerCase()));
	}

	private void timeline(RunbookExecution execution, TimelineEventType type, String summary, Map<String, ?> details) {
		this.incidents.record(execution.incidentId(), new TimelineEntry(type, Actor.SYSTEM, summary, details));
	}

	private static String lastLine(List<String> output, String fallback) {
		return output.isEmpty() ? fallback : output.getLast();
	}

	private static Instant earliest(Instant first, Instant second) {
		if (first == null) {
			return second;
		}
		return (second == null || first.isBefore(second)) ? first : second;
	}

	private Instant now() {
		return this.clock.instant().truncatedTo(ChronoUnit.MICROS);
	}

	@Override
	public void close() {
		this.steps.shutdownNow();
	}

	/** What the job does next. */
	private sealed interface Next {

		record Stop() implements Next {
		}

		record ResumeAt(Instant at) implements Next {
		}

		record Run(int position, RunbookAction action, StepContext context) implements Next {
		}

	}

}
