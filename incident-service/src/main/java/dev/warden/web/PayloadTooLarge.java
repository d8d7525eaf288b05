package dev.warden.web;

import java.io.IOException;

/** A request body went past its limit while being read. */
public class PayloadTooLarge extends IOException {

	PayloadTooLarge(long limit) {
		super("The request body is larger than the limit of " + limit + " bytes");
	}

}
