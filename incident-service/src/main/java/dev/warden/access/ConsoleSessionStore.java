package dev.warden.access;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectStreamClass;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.ConfigurableObjectInputStream;
import org.springframework.core.convert.converter.Converter;
import org.springframework.core.convert.support.GenericConversionService;
import org.springframework.core.serializer.support.SerializingConverter;
import org.springframework.session.config.SessionRepositoryCustomizer;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;
import org.springframework.session.jdbc.PostgreSqlJdbcIndexedSessionRepositoryCustomizer;
import org.springframework.util.ClassUtils;

/**
 * How console sessions are kept in PostgreSQL (Spring Session JDBC, tables from Flyway's
 * V24), so that every instance serves every signed-in person and restarts sign nobody
 * out. Timeout and cookie come from {@code server.servlet.session.*} as before.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleSessionStore {

	private static final Logger log = LoggerFactory.getLogger(ConsoleSessionStore.class);

	/**
	 * What a stored session attribute may contain: the JDK's types, Spring's (security
	 * context, CSRF token, saved request, flash map) and Warden's (the signed-in user).
	 * Anything else in a row is refused before it is built.
	 */
	static final String ALLOWED_CLASSES = "maxdepth=32;maxrefs=10000;maxbytes=1048576;"
			+ "java.**;org.springframework.**;dev.warden.**;!*";

	/**
	 * PostgreSQL's upsert for attributes (two requests of one session, such as a page and
	 * its live section, may add the same attribute at once), and attributes that cannot
	 * be read back (a class changed shape in an upgrade) read as absent, which signs that
	 * session out instead of failing each of its requests.
	 */
	@Bean
	SessionRepositoryCustomizer<JdbcIndexedSessionRepository> consoleSessionRepository() {
		PostgreSqlJdbcIndexedSessionRepositoryCustomizer upsert = new PostgreSqlJdbcIndexedSessionRepositoryCustomizer();
		ClassLoader classLoader = ConsoleSessionStore.class.getClassLoader();
		return (repository) -> {
			upsert.customize(repository);
			GenericConversionService conversion = new GenericConversionService();
			conversion.addConverter(Object.class, byte[].class, new SerializingConverter());
			conversion.addConverter(byte[].class, Object.class, new ForgivingDeserializer(classLoader));
			repository.setConversionService(conversion);
		};
	}

	/**
	 * Classes stored in sessions under an earlier name: sessions a version before the
	 * move stored still read back, so an upgrade signs nobody out. Only a class of the
	 * same simple name can stand in (Java's serialization checks it).
	 */
	static final Map<String, String> MOVED = Map.of("dev.warden.console.SignedInUser", SignedInUser.class.getName());

	/** Reads an attribute back, or null when it cannot be. */
	record ForgivingDeserializer(ClassLoader classLoader) implements Converter<byte[], Object> {

		private static final ObjectInputFilter FILTER = ObjectInputFilter.Config.createFilter(ALLOWED_CLASSES);

		@Override
		public Object convert(byte[] bytes) {
			try (ObjectInputStream in = new MovedClasses(new ByteArrayInputStream(bytes), this.classLoader)) {
				in.setObjectInputFilter(FILTER);
				return in.readObject();
			}
			catch (IOException | ClassNotFoundException | RuntimeException ex) {
				log.warn("A stored console session attribute cannot be read ({}); the session goes on without it",
						ex.toString());
				return null;
			}
		}

	}

	/** Resolves the classes in {@link #MOVED} by their new names. */
	private static final class MovedClasses extends ConfigurableObjectInputStream {

		private final ClassLoader classLoader;

		MovedClasses(InputStream in, ClassLoader classLoader) throws IOException {
			super(in, classLoader);
			this.classLoader = classLoader;
		}

		@Override
		protected Class<?> resolveClass(ObjectStreamClass description) throws IOException, ClassNotFoundException {
			String moved = MOVED.get(description.getName());
			return (moved != null) ? ClassUtils.forName(moved, this.classLoader) : super.resolveClass(description);
		}

	}

}
