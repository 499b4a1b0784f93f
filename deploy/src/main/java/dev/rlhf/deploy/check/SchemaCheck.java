package dev.rlhf.deploy.check;

import dev.rlhf.deploy.manifest.Manifests;
import dev.rlhf.deploy.manifest.Resource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every object parses into the fabric8 model class of its apiVersion and kind (wrong types, e.g. a string where a
 * number goes, are refused), carries no field its schema lacks (a misspelt {@code readinesProbe} is silently
 * dropped by a lenient apply; here it is a problem with its path), and a core kind is not read as an unknown custom
 * resource (a wrong apiVersion). Custom resources must be in the Strimzi group this suite uses.
 */
public final class SchemaCheck implements Check {

    private static final String MODEL_PACKAGE = "io.fabric8.kubernetes.api.model";
    private static final Set<String> CUSTOM_GROUPS = Set.of("kafka.strimzi.io/v1beta2");

    @Override
    public List<Problem> check(Manifests manifests) {
        List<Problem> problems = new ArrayList<>();
        manifests.unparsed().forEach((r, why) -> problems.add(problem(r.where() + " does not parse: " + why)));
        for (Map.Entry<Resource, HasMetadata> entry : manifests.typed().entrySet()) {
            Resource resource = entry.getKey();
            if (entry.getValue() instanceof GenericKubernetesResource) {
                if (!CUSTOM_GROUPS.contains(resource.apiVersion())) {
                    problems.add(problem(resource.where() + " has apiVersion " + resource.apiVersion()
                            + ", which is neither a built-in kind's nor " + CUSTOM_GROUPS));
                }
                continue;
            }
            List<String> unknown = new ArrayList<>();
            walk(entry.getValue(), "", unknown);
            unknown.forEach(path -> problems.add(problem(resource.where() + " has unknown field " + path)));
        }
        return problems;
    }

    /** Collects the paths of fields that landed in a model object's {@code additionalProperties}. */
    private static void walk(Object node, String path, List<String> unknown) {
        if (node == null) {
            return;
        }
        if (node instanceof Collection<?> list) {
            int i = 0;
            for (Object item : list) {
                walk(item, path + "[" + i++ + "]", unknown);
            }
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, path + "." + k, unknown));
            return;
        }
        if (!node.getClass().getName().startsWith(MODEL_PACKAGE)) {
            return;
        }
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())) {
                continue;
            }
            String name = getter.getName();
            if (name.equals("getAdditionalProperties")) {
                Map<?, ?> extra = (Map<?, ?>) invoke(getter, node);
                if (extra != null) {
                    extra.keySet().forEach(k -> unknown.add(path + "." + k));
                }
            } else if (name.startsWith("get") && !name.equals("getClass")) {
                walk(invoke(getter, node), path + "." + field(name), unknown);
            }
        }
    }

    private static String field(String getter) {
        return Character.toLowerCase(getter.charAt(3)) + getter.substring(4);
    }

    private static Object invoke(Method getter, Object target) {
        try {
            return getter.invoke(target);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + getter, e);
        }
    }
}
