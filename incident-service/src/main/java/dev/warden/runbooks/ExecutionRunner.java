package dev.warden.runbooks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
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

import dev.warden.cluster.ThisInstance;
import dev.warden.incidents.Actor;
import dev.warden.incidents.IncidentService;
import dev.warden.incidents.TimelineEntry;
import dev.warden.incidents.TimelineEventType;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Drives one execution forward, step by step, as its durable job runs. State changes
 * happen in short transactions; actions run outside them. A step is marked running (and
 * committed) before its action starts, so a crash is visible on restart: a declarative
 * step is repeated, any other one ends the run as interrupted. Waits return a time to
 * resume at instead of holding a thread.
 * <p>
 * Fencing: every transaction of a job, and every change an action makes outside the run's
 * record, first checks that this instance still holds db-scheduler's claim on the job
 * (the version of the job's row as this instance picked it; db-scheduler changes it
 * whenever the job changes hands). The check holds the execution's row lock, which the
 * instance that takes a job over takes after its claim committed, so either the old
 * instance's check comes first and the new one sees that the step may have acted, or the
 * check sees the new claim and the old instance stops without acting. A step's attempt
 * records the first check it passes; an attempt that never passed one never acted, so the
 * instance that takes it over runs it even when it is not safe to repeat.
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

	static final TimelineEventType STEP_TAKEN_OVER = new TimelineEventType("runbook.step.taken_over");

	static final TimelineEventType CLAIM_LOST = new TimelineEventType("runbook.claim_lost");

	private final RunbookExecutions executions;

	private final Map<String, RunbookAction> actions;

	private final IncidentService incidents;

	private final AuditTrail audit;

	private final Clock clock;

	private final TransactionTemplate transactions;

	private final MeterRegistry meters;

	private final RunbookSwitch runbookSwitch;

	private final JdbcClient jdbc;

	private final String instance;

	private final ExecutorService steps = Executors.newVirtualThreadPerTaskExecutor();

	ExecutionRunner(RunbookExecutions executions, List<RunbookAction> actions, IncidentService incidents,
			AuditTrail audit, RunbookSwitch runbookSwitch, Clock clock, PlatformTransactionManager transactionManager,
			MeterRegistry meters, JdbcClient jdbc, ThisInstance instance) {
		this.executions = executions;
		this.actions = actions.stream().collect(Collectors.toUnmodifiableMap(RunbookAction::type, Function.identity()));
		this.incidents = incidents;
		this.audit = audit;
		this.runbookSwitch = runbookSwitch;
		this.clock = clock;
		this.transactions = new TransactionTemplate(transactionManager);
		this.meters = meters;
		this.jdbc = jdbc;
		this.instance = instance.id();
	}

	/**
	 * Advances the execution as far as it can go now, as long as this instance holds the
	 * claim on its job.
	 * @param claimVersion db-scheduler's version of the job's row as this instance picked
	 * it
	 * @return what the job does next
	 */
	Progress advance(long executionId, long claimVersion) {
		Claim claim = new Claim(executionId, claimVersion);
		try {
			while (true) {
				Next next = this.transactions.execute((status) -> decide(claim));
				if (next instanceof Next.Stop) {
					return new Progress.Done();
				}
				if (next instanceof Next.ResumeAt resume) {
					return new Progress.ResumeAt(resume.at());
				}
				Next.Run run = (Next.Run) next;
				Timer.Sample sample = Timer.start(this.meters);
				StepResult result;
				try {
					result = runWithDeadline(run.action(), run.context());
				}
				finally {
					run.fence().close();
				}
				sample.stop(Timer.builder("warden.runbook.step.duration")
					.description("Time a runbook step's action took")
					.tag("runbook", run.context().runbookId())
					.tag("action", run.action().type())
					.tag("result", result.getClass().getSimpleName().toLowerCase())
					.register(this.meters));
				Optional<Instant> resumeAt = recordWithRetries(claim, run.position(), result, run.context().deadline(),
						run.fence().passed());
				if (resumeAt.isPresent()) {
					return new Progress.ResumeAt(resumeAt.get());
				}
			}
		}
		catch (ClaimLost lost) {
			reportLost(lost);
			return new Progress.Lost();
		}
	}

	/**
	 * Whether this instance still holds the job's claim; in a transaction that holds the
	 * execution's row lock when a decision depends on it.
	 */
	boolean holdsClaim(long executionId, long claimVersion) {
		return this.jdbc.sql("select version from job_schedule where task_name = ? and task_instance = ? and picked")
			.params(ExecutionJob.TASK.getTaskName(), String.valueOf(executionId))
			.query(Long.class)
			.optional()
			.filter((version) -> version == claimVersion)
			.isPresent();
	}

	/**
	 * Stops unless this instance still holds the claim; call right after taking the
	 * execution's row lock.
	 */
	private void requireClaim(Claim claim, RunbookExecution execution, ExecutionStep step, String phase,
			String consequence) {
		if (holdsClaim(claim.executionId(), claim.version())) {
			return;
		}
		String other = (execution.claimedBy() != null && !execution.claimedBy().equals(this.instance))
				? "instance " + execution.claimedBy() : "another instance";
		String where = (step != null) ? "step %d '%s' (%s)".formatted(step.position() + 1, step.name(), step.action())
				: "the run";
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("execution", execution.id());
		details.put("instance", this.instance);
		details.put("phase", phase);
		if (step != null) {
			details.put("step", step.position() + 1);
			details.put("action", step.action());
		}
		throw new ClaimLost("Runbook %s: instance %s lost its claim on %s to %s; %s".formatted(execution.runbookId(),
				this.instance, where, other, consequence), execution.incidentId(), details);
	}

	/** Says on the timeline and in the log why this instance stopped. */
	private void reportLost(ClaimLost lost) {
		log.warn("{}", lost.getMessage());
		this.meters.counter("warden.runbook.claims.lost", "phase", String.valueOf(lost.details().get("phase")))
			.increment();
		try {
			this.incidents.record(lost.incident(),
					new TimelineEntry(CLAIM_LOST, Actor.SYSTEM, lost.getMessage(), lost.details()));
		}
		catch (RuntimeException ex) {
			log.warn("Cannot record on the incident's timeline that this instance lost its claim: {}", ex.toString());
		}
	}

	/**
	 * Records what an action did, retrying on transient trouble (a lock held by a
	 * webhook, a database blip): the action already happened, and losing its result would
	 * turn a success into an interruption.
	 */
	private Optional<Instant> recordWithRetries(Claim claim, int position, StepResult result, Instant deadline,
			boolean acted) {
		long executionId = claim.executionId();
		for (int attempt = 1;; attempt++) {
			try {
				return this.transactions.execute((status) -> record(claim, position, result, deadline, acted));
			}
			catch (ClaimLost ex) {
				throw ex;
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

	private Next decide(Claim claim) {
		RunbookExecution execution = this.executions.findByIdForUpdate(claim.executionId()).orElse(null);
		if (execution == null) {
			return new Next.Stop();
		}
		Optional<ExecutionStep> current = execution.currentStep();
		requireClaim(claim, execution, current.orElse(null), "before_step", "it did nothing more");
		if (execution.status().isFinished() || execution.status() == ExecutionStatus.AWAITING_APPROVAL) {
			return new Next.Stop();
		}
		Instant now = now();
		String previousInstance = execution.claimedBy();
		execution.claim(this.instance, claim.version());
		if (execution.isCancelRequested()) {
			current.ifPresent((step) -> step.finish(StepStatus.CANCELLED, now, List.of(), null));
			end(execution, ExecutionStatus.CANCELLED, "cancelled by " + execution.cancelRequestedBy(), now);
			return new Next.Stop();
		}
		if (execution.status() == ExecutionStatus.QUEUED) {
			if (execution.trigger() == ExecutionTrigger.AUTOMATIC && execution.approvedBy() == null
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
		if (step.status() == StepStatus.RUNNING && !step.mayHaveActed()) {
			// Marked running but stopped before its first claim check passed (crashed,
			// or lost its claim there): nothing happened yet, so it is run here.
			stepTimeline(execution, step, STEP_TAKEN_OVER,
					"taken over from %s, which had not acted on it; running it on instance %s".formatted(
							(previousInstance != null) ? "instance " + previousInstance : "an earlier attempt",
							this.instance));
		}
		else if (step.status() == StepStatus.RUNNING) {
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
		AttemptFence fence = new AttemptFence(claim, step.position());
		return new Next.Run(step.position(), action,
				new StepContext(execution.id(), execution.runbookId(), execution.incidentId(), step.parameters(),
						step.startedAt(), now, deadline, false, step.output(), fence),
				fence);
	}

	private Optional<Instant> record(Claim claim, int position, StepResult result, Instant deadline, boolean acted) {
		RunbookExecution execution = this.executions.findByIdForUpdate(claim.executionId()).orElseThrow();
		ExecutionStep step = execution.steps().get(position);
		requireClaim(claim, execution, step, "recording",
				"its result was not recorded (%s; it %s): %s".formatted(result.getClass().getSimpleName().toLowerCase(),
						acted ? "had acted" : "had not acted", lastLine(result.output(), "no output")));
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
			if (ex.getCause() instanceof ClaimLost lost) {
				throw lost;
			}
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
	void failStuck(long executionId, long claimVersion, String reason) {
		this.transactions.executeWithoutResult((status) -> this.executions.findByIdForUpdate(executionId)
			.filter((execution) -> holdsClaim(executionId, claimVersion))
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

		record Run(int position, RunbookAction action, StepContext context, AttemptFence fence) implements Next {
		}

	}

	/** What the job does after {@link #advance}. */
	sealed interface Progress {

		/** The run is over (or waits for a person): the job is done. */
		record Done() implements Progress {
		}

		/** A step waits: run the job again then. */
		record ResumeAt(Instant at) implements Progress {
		}

		/**
		 * Another instance holds the job now: its row is that instance's to change, not
		 * this one's.
		 */
		record Lost() implements Progress {
		}

	}

	/** This instance's claim on an execution's job. */
	private record Claim(long executionId, long version) {
	}

	/**
	 * The fence of one attempt of a step. Closed once the runner stops waiting for the
	 * action (its deadline passed): an abandoned action that goes on must not act either.
	 */
	private final class AttemptFence implements Fence {

		private final Claim claim;

		private final int position;

		private volatile boolean closed;

		private volatile boolean passed;

		AttemptFence(Claim claim, int position) {
			this.claim = claim;
			this.position = position;
		}

		@Override
		public void beforeActing(String what) {
			if (this.closed) {
				log.warn("Step {} of execution {} was abandoned after its deadline; it does not {}", this.position + 1,
						this.claim.executionId(), what);
				throw new IllegalStateException("abandoned after its deadline; did not " + what);
			}
			ExecutionRunner.this.transactions.executeWithoutResult((status) -> {
				RunbookExecution execution = ExecutionRunner.this.executions.findByIdForUpdate(this.claim.executionId())
					.orElseThrow();
				ExecutionStep step = execution.steps().get(this.position);
				requireClaim(this.claim, execution, step, "before_acting",
						"it did not act (it was about to %s)".formatted(what));
				step.acting(ExecutionRunner.this.instance, now());
			});
			this.passed = true;
		}

		/** Whether this attempt got past a claim check, i.e. may have acted. */
		boolean passed() {
			return this.passed;
		}

		void close() {
			this.closed = true;
		}

	}

}
