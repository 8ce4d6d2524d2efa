package io.laurel.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension: a test method or constructor parameter of type {@link TestEnvironment} gets the
 * test class's environment (real broker, real PostgreSQL, its own database and topic prefix).
 */
public class LaurelInfraExtension implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestEnvironment.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return LaurelTestInfra.forClass(context.getRequiredTestClass());
    }
}
