package dev.warden.console;

import dev.warden.cluster.ConfigVersions;
import dev.warden.cluster.Instances;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The instances page for admins (the security chain keeps {@code /admin/**} theirs):
 * every instance on the database with its state, version, last heartbeat and the
 * configuration versions it runs, and the latest recorded configuration versions.
 */
@Controller
class InstancePages {

	/** How many recorded configuration versions the page shows. */
	static final int HISTORY = 20;

	private final Instances instances;

	private final ConfigVersions versions;

	InstancePages(Instances instances, ConfigVersions versions) {
		this.instances = instances;
		this.versions = versions;
	}

	@GetMapping("/admin/instances")
	String list(Model model) {
		Instances.Listed listed = this.instances.list(Instances.LIST_LIMIT);
		model.addAttribute("instances", listed.items());
		model.addAttribute("leftOut", listed.leftOut());
		model.addAttribute("kinds", this.versions.kinds());
		model.addAttribute("history", this.versions.history(null, HISTORY));
		return "console/admin/instances";
	}

}
