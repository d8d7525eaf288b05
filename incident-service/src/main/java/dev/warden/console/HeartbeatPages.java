package dev.warden.console;

import dev.warden.heartbeats.Heartbeats;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The console's heartbeats page: every declared heartbeat with when it was last seen and
 * where it stands (up, late, silent, never seen), its silence's incident, and the
 * heartbeat file's problems. Every signed-in user may look.
 */
@Controller
class HeartbeatPages {

	private final Heartbeats heartbeats;

	HeartbeatPages(Heartbeats heartbeats) {
		this.heartbeats = heartbeats;
	}

	@GetMapping("/heartbeats")
	String page(Model model) {
		model.addAttribute("heartbeats", this.heartbeats.list());
		model.addAttribute("problems", this.heartbeats.problems());
		model.addAttribute("source", this.heartbeats.source());
		return "console/heartbeats";
	}

}
