package dev.warden.console;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The console's start page: who is signed in, and the way to each part of the console
 * and, for admins, to their pages.
 */
@Controller
class HomeController {

	@GetMapping("/")
	String home() {
		return "console/home";
	}

}
