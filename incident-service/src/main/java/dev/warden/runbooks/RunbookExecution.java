package dev.warden.runbooks;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.persistence.CascadeType;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import dev.warden.incidents.IncidentId;

/**
 * One run of a runbook for an incident: its steps with their resolved parameters, and
 * what happened. The aggregate owns the run's lifecycle; the durable job drives it.
 */
@Entity
@Table(name = "runbook_execution")
class RunbookExecution {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Long id;

	@Version
	private long version;

	private String runbookId;

	private String runbookTitle;

	private long incidentId;

	private String alertFingerprint;

	@Enumerated(EnumType.STRING)
	private ExecutionStatus status;

	@Enumerated(EnumType.STRING)
	private ExecutionTrigger trigger;

	private String requestedBy;

	private String approvedBy;

	private Instant approvedAt;

	private Instant approvalExpiresAt;

	private String cancelRequestedBy;

	private String targetKey;

	private boolean distinctApprover;

	@JdbcTypeCode(SqlTypes.JSON)
	private Map<String, String> labels;

	@JdbcTypeCode(SqlTypes.JSON)
	private Map<String, String> annotations;

	@Enumerated(EnumType.STRING)
	private RunbookDefinition.FailurePolicy onFailure;

	private long runTimeoutSeconds;

	private Instant createdAt;

	private Instant startedAt;

	private Instant deadline;

	private Instant finishedAt;

	private int currentStep;

	private String outcome;

	private String claimedBy;

	private Long claimVersion;

	@OneToMany(mappedBy = "execution", cascade = CascadeType.ALL)
	@OrderBy("position")
	private List<ExecutionStep> steps = new ArrayList<>();

	protected RunbookExecution() {
	}

	RunbookExecution(RunbookDefinition runbook, IncidentId incident, String alertFingerprint, ExecutionTrigger trigger,
			String requestedBy, Map<String, String> labels, Map<String, String> annotations, String targetKey,
			Instant now) {
		this.runbookId = runbook.id();
		this.runbookTitle = runbook.title();
		this.incidentId = incident.value();
		this.alertFingerprint = alertFingerprint;
		this.trigger = trigger;
		this.requestedBy = requestedBy;
		this.labels = new LinkedHashMap<>(labels);
		this.annotations = new LinkedHashMap<>(annotations);
		this.targetKey = targetKey;
		this.distinctApprover = runbook.distinctApprover();
		this.onFailure = runbook.onFailure();
		this.runTimeoutSeconds = Math.max(1, runbook.timeout().toSeconds());
		this.createdAt = now;
		this.status = ExecutionStatus.QUEUED;
	}

	void addStep(String name, String action, boolean declarative, Map<String, Object> parameters, Duration timeout) {
		this.steps.add(new ExecutionStep(this, this.steps.size(), name, action, declarative, parameters, timeout));
	}

	/**
	 * Holds the run until a person approves it, at the latest until {@code expiresAt}.
	 */
	void awaitApproval(Instant expiresAt) {
		this.status = ExecutionStatus.AWAITING_APPROVAL;
		this.approvalExpiresAt = expiresAt;
	}

	/**
	 * Approves a run that waits for approval and has not expired, by someone allowed to:
	 * when the runbook requires a distinct approver, not the person who started the run
	 * (Warden starts automatic runs, so anyone permitted approves those).
	 * @throws ApprovalRefused when the approver started the run themselves
	 */
	void approve(String by, Instant now) {
		if (this.status != ExecutionStatus.AWAITING_APPROVAL) {
			throw new IllegalExecutionTransition(this, "approved");
		}
		if (!now.isBefore(this.approvalExpiresAt)) {
			throw new IllegalExecutionTransition(this, "approved", "its approval expired at " + this.approvalExpiresAt);
		}
		if (this.distinctApprover && this.trigger == ExecutionTrigger.MANUAL && this.requestedBy.equalsIgnoreCase(by)) {
			throw new ApprovalRefused(this, by);
		}
		this.status = ExecutionStatus.QUEUED;
		this.approvedBy = by;
		this.approvedAt = now;
	}

	/**
	 * Fails a run before any step, e.g. because a label its parameters need is missing.
	 */
	void refuse(String reason, Instant now) {
		this.steps.forEach((step) -> step.finish(StepStatus.SKIPPED, now, List.of(), null));
		finish(ExecutionStatus.FAILED, reason, now);
	}

	/**
	 * Cancels the run: at once when it has not started, otherwise at the next step
	 * boundary (the job sees the request).
	 * @return true when the run is cancelled already
	 */
	boolean cancel(String by, Instant now) {
		if (this.status.isFinished()) {
			throw new IllegalExecutionTransition(this, "cancelled");
		}
		this.cancelRequestedBy = by;
		if (this.status == ExecutionStatus.QUEUED || this.status == ExecutionStatus.AWAITING_APPROVAL) {
			this.steps.forEach((step) -> step.finish(StepStatus.CANCELLED, now, List.of(), null));
			finish(ExecutionStatus.CANCELLED, "cancelled by " + by, now);
			return true;
		}
		return false;
	}

	boolean isCancelRequested() {
		return this.cancelRequestedBy != null;
	}

	void begin(Instant now) {
		this.status = ExecutionStatus.RUNNING;
		this.startedAt = now;
		this.deadline = now.plusSeconds(this.runTimeoutSeconds);
	}

	Optional<ExecutionStep> currentStep() {
		return (this.currentStep < this.steps.size()) ? Optional.of(this.steps.get(this.currentStep))
				: Optional.empty();
	}

	/**
	 * Records the instance that runs the job, and db-scheduler's version of the job's row
	 * when that instance picked it.
	 */
	void claim(String instance, long version) {
		this.claimedBy = instance;
		this.claimVersion = version;
	}

	void advance() {
		this.currentStep++;
	}

	void finish(ExecutionStatus outcome, String reason, Instant now) {
		this.steps.forEach((step) -> step.skip(now));
		this.status = outcome;
		this.outcome = reason;
		this.finishedAt = now;
	}

	public Long id() {
		return this.id;
	}

	public String runbookId() {
		return this.runbookId;
	}

	public String runbookTitle() {
		return this.runbookTitle;
	}

	public IncidentId incidentId() {
		return new IncidentId(this.incidentId);
	}

	public String alertFingerprint() {
		return this.alertFingerprint;
	}

	public ExecutionStatus status() {
		return this.status;
	}

	public ExecutionTrigger trigger() {
		return this.trigger;
	}

	public String requestedBy() {
		return this.requestedBy;
	}

	public String approvedBy() {
		return this.approvedBy;
	}

	public Instant approvedAt() {
		return this.approvedAt;
	}

	public Instant approvalExpiresAt() {
		return this.approvalExpiresAt;
	}

	public String cancelRequestedBy() {
		return this.cancelRequestedBy;
	}

	/** What the run acts on, for per-target limits, e.g. {@code app=ai-db,db=primary}. */
	public String targetKey() {
		return this.targetKey;
	}

	/** Whether another person than the one who started the run must approve it. */
	public boolean distinctApprover() {
		return this.distinctApprover;
	}

	public Map<String, String> labels() {
		return Collections.unmodifiableMap(this.labels);
	}

	public Map<String, String> annotations() {
		return Collections.unmodifiableMap(this.annotations);
	}

	public RunbookDefinition.FailurePolicy onFailure() {
		return this.onFailure;
	}

	public Instant createdAt() {
		return this.createdAt;
	}

	public Instant startedAt() {
		return this.startedAt;
	}

	public Instant deadline() {
		return this.deadline;
	}

	public Instant finishedAt() {
		return this.finishedAt;
	}

	/** Why it ended as it did. */
	public String outcome() {
		return this.outcome;
	}

	/**
	 * The Warden instance that last claimed the run's job (its
	 * {@code warden.cluster.instance-id}), if any did.
	 */
	public String claimedBy() {
		return this.claimedBy;
	}

	public List<ExecutionStep> steps() {
		return Collections.unmodifiableList(this.steps);
	}

}
