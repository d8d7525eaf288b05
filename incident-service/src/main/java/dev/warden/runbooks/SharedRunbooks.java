package dev.warden.runbooks;

import dev.warden.cluster.SharedConfiguration;

import org.springframework.stereotype.Component;

/**
 * The runbook directory as one of the configurations every instance runs alike. A runbook
 * file with problems keeps its last good definition, so {@code applied} is false whenever
 * any file has problems even though the others are in use.
 */
@Component
class SharedRunbooks implements SharedConfiguration {

	private final RunbookCatalog catalog;

	SharedRunbooks(RunbookCatalog catalog) {
		this.catalog = catalog;
	}

	@Override
	public String kind() {
		return RunbookCatalog.CONFIG_KIND;
	}

	@Override
	public Loaded loaded() {
		return new Loaded(this.catalog.contentHash(), this.catalog.problems().isEmpty(),
				this.catalog.problems().stream().map(RunbookProblem::toString).toList());
	}

	@Override
	public Loaded reload() {
		this.catalog.reload();
		return loaded();
	}

}
