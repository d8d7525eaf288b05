package dev.warden.console;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The console's start page; for now it says who is signed in and leads admins to their
 * pages. The incident pages come here later.
 */
@Controller
class HomeController {

	@GetMapping("/")
	String home() {
		return "console/home";
	}

}
