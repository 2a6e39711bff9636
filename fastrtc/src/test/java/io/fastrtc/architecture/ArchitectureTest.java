package io.fastrtc.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import io.fastrtc.architecture.Sources.Unit;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The layering the build enforces in place of {@code module-info.java} (see the {@code io.fastrtc.stream}
 * package documentation for why): no package cycle in any module's main code, a core free of web
 * frameworks, libwebrtc only in the engine, and internal packages kept out of the public API and out
 * of other modules.
 */
class ArchitectureTest {

    /** What applications use. */
    static final Set<String> API = Set.of("io.fastrtc.stream", "io.fastrtc.audio", "io.fastrtc.video",
            "io.fastrtc.handler", "io.fastrtc.turn", "io.fastrtc.speech", "io.fastrtc.ice", "io.fastrtc.credentials",
            "io.fastrtc.cluster", "io.fastrtc.security", "io.fastrtc.telephone", "io.fastrtc.ui",
            "io.fastrtc.telemetry");
    /** What server adapters use besides the API. */
    static final Set<String> SPI = Set.of("io.fastrtc.transport");
    /** The core's own: never in a public signature of the API or SPI, never used by applications. */
    static final Set<String> INTERNAL = Set.of("io.fastrtc.engine", "io.fastrtc.protocol", "io.fastrtc.internal");
    /** Shared helpers the project's own library modules may use too ({@code exports ... to} in JPMS terms). */
    static final Set<String> FRIENDS = Set.of("io.fastrtc.internal");
    static final List<String> WEB_FRAMEWORKS = List.of("io.javalin", "jakarta.servlet", "org.eclipse.jetty",
            "org.springframework", "org.apache.catalina");
    /** Modules that extend the library (adapters, engines) rather than use it. */
    static final Set<String> LIBRARY_MODULES = Set.of("fastrtc-javalin", "fastrtc-spring-boot-starter", "fastrtc-redis",
            "fastrtc-speech", "fastrtc-silero", "fastrtc-smart-turn", "fastrtc-realtime", "fastrtc-agent",
            "fastrtc-langchain4j", "fastrtc-spring-ai");
    static final int MAX_CORE_FILE_LINES = 550;

    private final List<Unit> sources = Sources.mainSources();

    @Test
    void thePackageGraphHasNoCycle() {
        assertThat(sources).as("main sources found").hasSizeGreaterThan(100);
        assertThat(Sources.cycles(Sources.packageGraph(sources))).as("package import cycles").isEmpty();
    }

    @Test
    void aCycleIsFound() {
        Map<String, Set<String>> graph = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a"));
        assertThat(Sources.cycles(graph)).containsExactly(Set.of("a", "b", "c"));
    }

    @Test
    void theCoreUsesNoWebFramework() {
        List<String> found = new ArrayList<>();
        for (Unit u : core()) {
            for (String imported : u.imports()) {
                if (WEB_FRAMEWORKS.stream().anyMatch(imported::startsWith)) {
                    found.add(u.file().getFileName() + " imports " + imported);
                }
            }
        }
        assertThat(found).isEmpty();
    }

    @Test
    void onlyTheEngineTouchesLibwebrtc() {
        List<String> found = new ArrayList<>();
        for (Unit u : sources) {
            if (!u.pkg().equals("io.fastrtc.engine") && u.imports().stream().anyMatch(i -> i.startsWith("dev.onvoid"))) {
                found.add(u.module() + "/" + u.file().getFileName());
            }
        }
        assertThat(found).isEmpty();
    }

    @Test
    void otherModulesUseOnlyTheCoresApiAndSpi() {
        List<String> found = new ArrayList<>();
        for (Unit u : sources) {
            if (u.module().equals("fastrtc") || u.module().equals("fastrtc-bench")) {
                continue; // the bench measures the engine itself
            }
            for (String used : u.referenced()) {
                boolean allowed = API.contains(used) || !isCorePackage(used)
                        || (LIBRARY_MODULES.contains(u.module()) && (SPI.contains(used) || FRIENDS.contains(used)));
                if (!allowed) {
                    found.add(u.module() + "/" + u.file().getFileName() + " uses " + used);
                }
            }
        }
        assertThat(found).isEmpty();
    }

    @Test
    void publicSignaturesShowNoInternalType() throws Exception {
        List<String> found = new ArrayList<>();
        for (Class<?> type : coreClasses()) {
            String pkg = type.getPackageName();
            if (!(API.contains(pkg) || SPI.contains(pkg)) || !isVisible(type)) {
                continue;
            }
            for (Method m : type.getDeclaredMethods()) {
                if (isVisible(m.getModifiers()) && !m.isSynthetic()) {
                    check(found, type, m.getName(), m.getGenericReturnType());
                    for (Type p : m.getGenericParameterTypes()) {
                        check(found, type, m.getName(), p);
                    }
                }
            }
            for (Constructor<?> c : type.getDeclaredConstructors()) {
                if (isVisible(c.getModifiers()) && !c.isSynthetic()) {
                    for (Type p : c.getGenericParameterTypes()) {
                        check(found, type, "<init>", p);
                    }
                }
            }
            for (Field f : type.getDeclaredFields()) {
                if (isVisible(f.getModifiers()) && !f.isSynthetic()) {
                    check(found, type, f.getName(), f.getGenericType());
                }
            }
            if (type.getSuperclass() != null) {
                check(found, type, "extends", type.getGenericSuperclass());
            }
        }
        assertThat(found).as("public members whose types are internal (or Jackson, or libwebrtc)").isEmpty();
    }

    @Test
    void noCoreFileIsTooLong() {
        List<String> found = new ArrayList<>();
        for (Unit u : core()) {
            if (u.lines() > MAX_CORE_FILE_LINES) {
                found.add(u.file().getFileName() + ": " + u.lines() + " lines");
            }
        }
        assertThat(found).as("files over " + MAX_CORE_FILE_LINES + " lines: split them by concern").isEmpty();
    }

    @Test
    void everyPackageSaysWhatItOwnsAndMayDependOn() throws IOException {
        List<String> missing = new ArrayList<>();
        for (String pkg : new TreeSet<>(sources.stream().map(Unit::pkg).toList())) {
            Unit any = sources.stream().filter(u -> u.pkg().equals(pkg)).findFirst().orElseThrow();
            Path info = any.file().resolveSibling("package-info.java");
            if (!Files.exists(info)) {
                missing.add(any.module() + ": " + pkg + " has no package-info.java");
            } else if (!Files.readString(info).contains("May depend on")) {
                missing.add(any.module() + ": " + pkg + "'s package-info does not say what it may depend on");
            }
        }
        assertThat(missing).isEmpty();
    }

    private List<Unit> core() {
        return sources.stream().filter(u -> u.module().equals("fastrtc")).toList();
    }

    private static boolean isCorePackage(String pkg) {
        return API.contains(pkg) || SPI.contains(pkg) || INTERNAL.contains(pkg);
    }

    private static boolean isVisible(Class<?> type) {
        for (Class<?> t = type; t != null; t = t.getDeclaringClass()) {
            if (!Modifier.isPublic(t.getModifiers())) {
                return false;
            }
        }
        return true;
    }

    private static boolean isVisible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static void check(List<String> found, Class<?> owner, String member, Type type) {
        for (Class<?> used : classesIn(type)) {
            String pkg = used.getPackageName();
            if (INTERNAL.contains(pkg) || pkg.startsWith("com.fasterxml") || pkg.startsWith("dev.onvoid")) {
                found.add(owner.getName() + "." + member + " uses " + used.getName());
            }
        }
    }

    private static List<Class<?>> classesIn(Type type) {
        List<Class<?>> out = new ArrayList<>();
        if (type instanceof Class<?> c) {
            out.add(c.isArray() ? c.getComponentType() : c);
        } else if (type instanceof ParameterizedType p) {
            out.addAll(classesIn(p.getRawType()));
            for (Type a : p.getActualTypeArguments()) {
                out.addAll(classesIn(a));
            }
        } else if (type instanceof GenericArrayType g) {
            out.addAll(classesIn(g.getGenericComponentType()));
        } else if (type instanceof WildcardType w) {
            for (Type b : w.getUpperBounds()) {
                out.addAll(classesIn(b));
            }
            for (Type b : w.getLowerBounds()) {
                out.addAll(classesIn(b));
            }
        } else if (type instanceof TypeVariable<?> v) {
            for (Type b : v.getBounds()) {
                if (b instanceof Class<?> c) {
                    out.add(c);
                }
            }
        }
        return out;
    }

    /** The core's compiled classes, loaded without initialising them. */
    private static List<Class<?>> coreClasses() throws IOException, ClassNotFoundException {
        Path classes = Sources.root().resolve("fastrtc/target/classes");
        List<Class<?>> out = new ArrayList<>();
        try (var files = Files.walk(classes)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
                if (!name.endsWith("package-info")) {
                    out.add(Class.forName(name, false, ArchitectureTest.class.getClassLoader()));
                }
            }
        }
        return out;
    }
}
