package dev.warden.console;

import dev.warden.access.ConsoleSecurityConfiguration;
import dev.warden.access.LoginThrottle;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The sign-in form. Spring Security takes the form's post (see
 * {@link ConsoleSecurityConfiguration}) and sends people back here with what went wrong.
 */
@Controller
class LoginController {

	private final LoginThrottle throttle;

	LoginController(LoginThrottle throttle) {
		this.throttle = throttle;
	}

	@GetMapping(ConsoleSecurityConfiguration.LOGIN)
	String login(@RequestParam(required = false) String error, @RequestParam(required = false) String throttled,
			@RequestParam(required = false) String unavailable, @RequestParam(required = false) String signedOut,
			Authentication authentication, Model model) {
		if (authentication != null && authentication.isAuthenticated()
				&& !(authentication instanceof AnonymousAuthenticationToken)) {
			return "redirect:/";
		}
		if (throttled != null) {
			model.addAttribute("error",
					"Too many failed sign-ins for this username or from your address. Try again in about "
							+ minutesUntilAnAttemptIsBack() + " minutes.");
		}
		else if (unavailable != null) {
			model.addAttribute("error", "Warden cannot check sign-ins right now. Try again shortly.");
		}
		else if (error != null) {
			model.addAttribute("error", "Wrong username or password.");
		}
		else if (signedOut != null) {
			model.addAttribute("notice", "You have signed out.");
		}
		return "console/login";
	}

	/** Whole minutes, rounded up, at least one. */
	private long minutesUntilAnAttemptIsBack() {
		return Math.max(1, (this.throttle.untilAnAttemptIsBack().toSeconds() + 59) / 60);
	}

}
