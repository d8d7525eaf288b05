package dev.warden.access;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextImpl;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a console session stored in PostgreSQL reads back as, byte for byte as Java's
 * serialization wrote it: sessions that an earlier version stored, when the signed-in
 * user was {@code dev.warden.console.SignedInUser}, read back after the upgrade (nobody
 * is signed out by it), and what cannot be read reads as absent.
 */
class ConsoleSessionAttributesTests {

	private static final SignedInUser ALICE = new SignedInUser(7, "alice", "Alice Example", Role.RESPONDER, 3);

	private final ConsoleSessionStore.ForgivingDeserializer attributes = new ConsoleSessionStore.ForgivingDeserializer(
			getClass().getClassLoader());

	@Test
	void securityContextStoredBeforeTheSignedInUserMovedReadsBack() throws IOException {
		byte[] stored = renamed(serialized(securityContext()), SignedInUser.class.getName(),
				"dev.warden.console.SignedInUser");

		Object read = this.attributes.convert(stored);

		assertThat(read).isInstanceOf(SecurityContext.class);
		assertThat(((SecurityContext) read).getAuthentication().getPrincipal()).isEqualTo(ALICE);
	}

	@Test
	void aClassNoLongerThereReadsAsAbsent() throws IOException {
		byte[] stored = renamed(serialized(securityContext()), SignedInUser.class.getName(),
				"dev.warden.consolx.SignedInUser");

		assertThat(this.attributes.convert(stored)).isNull();
	}

	@Test
	void todaysSessionsReadBack() throws IOException {
		Object read = this.attributes.convert(serialized(securityContext()));

		assertThat(((SecurityContext) read).getAuthentication().getPrincipal()).isEqualTo(ALICE);
	}

	private static SecurityContext securityContext() {
		return new SecurityContextImpl(UsernamePasswordAuthenticationToken.authenticated(ALICE, null,
				List.of(new SimpleGrantedAuthority("ROLE_RESPONDER"))));
	}

	private static byte[] serialized(Object value) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
			out.writeObject(value);
		}
		return bytes.toByteArray();
	}

	/**
	 * The stream with one class name replaced, as a class of that name would have written
	 * it: a class descriptor holds its name as a length and the name's bytes.
	 */
	private static byte[] renamed(byte[] stream, String from, String to) {
		byte[] old = utf(from);
		byte[] replacement = utf(to);
		for (int i = 0; i <= stream.length - old.length; i++) {
			if (Arrays.equals(stream, i, i + old.length, old, 0, old.length)) {
				byte[] result = new byte[stream.length - old.length + replacement.length];
				System.arraycopy(stream, 0, result, 0, i);
				System.arraycopy(replacement, 0, result, i, replacement.length);
				System.arraycopy(stream, i + old.length, result, i + replacement.length,
						stream.length - i - old.length);
				return result;
			}
		}
		throw new AssertionError(from + " is not in the stream");
	}

	private static byte[] utf(String name) {
		byte[] text = name.getBytes(StandardCharsets.UTF_8);
		byte[] utf = new byte[text.length + 2];
		utf[0] = (byte) (text.length >> 8);
		utf[1] = (byte) text.length;
		System.arraycopy(text, 0, utf, 2, text.length);
		return utf;
	}

}
