// Run after the consumer build (the invoker plugin's post-build hook). What a user's project that depends on sipflow-physics gets at run time, and whether the docs' example runs.
def listFile = new File(basedir, 'target/runtime-dependencies.txt')
assert listFile.isFile() : "dependency:list wrote no $listFile"
def coordinates = listFile.readLines()*.trim().findAll { it ==~ /[\w.\-]+:[\w.\-]+:jar:.*/ }
                          .collect { it.replaceAll(/ -- .*/, '') }
println "the consumer's runtime jars (${coordinates.size()}):"
coordinates.each { println "  $it" }
assert coordinates.size() > 0 : "no dependency found in $listFile"

// Only the library and the maths it needs: JTransforms (FFT) with its own dependencies, EJML (SVD).
def allowed = [
    'io.sipflow:sipflow-autodiff', 'io.sipflow:sipflow-nn', 'io.sipflow:sipflow-physics',
    'com.github.wendykierp:JTransforms', 'pl.edu.icm:JLargeArrays', 'org.apache.commons:commons-math3',
    'org.ejml:ejml-ddense', 'org.ejml:ejml-core',
]
def names = coordinates.collect { it.split(':')[0] + ':' + it.split(':')[1] }
def application = ['picocli', 'jline', 'progressbar', 'xchart', 'pdfbox', 'junit', 'jqwik', 'aparapi', 'scala',
                   'sipflow-app', 'sipflow-plot', 'sipflow-gpu']
def leaked = names.findAll { n -> application.any { n.toLowerCase().contains(it) } }
assert leaked.isEmpty() : "the application's jars reach a library consumer: $leaked"
def unexpected = names - allowed
assert unexpected.isEmpty() : "jars beyond the library and its maths reach a consumer: $unexpected"
assert names.containsAll(['io.sipflow:sipflow-physics', 'io.sipflow:sipflow-nn', 'io.sipflow:sipflow-autodiff'])

// docs/library.md's example, compiled by this build, trains on exactly that class path.
def classpath = new File(basedir, 'target/classes').path + File.pathSeparator +
        new File(basedir, 'target/runtime-classpath.txt').getText('UTF-8').trim()
def java = new File(System.getProperty('java.home'), 'bin/java').path
def process = new ProcessBuilder(java, '--add-modules', 'jdk.incubator.vector', '-cp', classpath, 'LibraryExample')
        .redirectErrorStream(true).start()
def output = new StringBuilder()
process.consumeProcessOutput(output, output)
assert process.waitFor(300, java.util.concurrent.TimeUnit.SECONDS) : "the example ran over 300 s:\n$output"
process.waitFor()
println output
assert process.exitValue() == 0 : "the example failed (exit ${process.exitValue()}):\n$output"
def m = output =~ /test x_l2 ([0-9.eE+\-]+)/
assert m.find() : "the example printed no test x_l2:\n$output"
def xL2 = m.group(1) as double
// docs/library.md: after 200 SIP steps the test x_l2 is 0.17; predicting x = 0 scores 16.
assert xL2 < 1.0 : "SIP did not learn the docs' problem: test x_l2 $xL2 (x = 0 scores 16)"

// What the installed library tells a user beyond its classes: its licence (inherited from the parent pom), and the
// sources and Javadoc jars that mvn verify built beside every library module's jar (an IDE shows both).
def repoRoot = new File(libraryDocs).parentFile.parentFile
def parentPom = new File(localRepositoryPath, "io/sipflow/sipflow-parent/${sipflowVersion}/sipflow-parent-${sipflowVersion}.pom")
assert parentPom.isFile() : "invoker:install did not install the parent pom: $parentPom"
def licenses = new groovy.xml.XmlSlurper().parse(parentPom).licenses.license.name*.text()
assert licenses == ['Apache-2.0'] : "the parent pom's <licenses> should name Apache-2.0, found $licenses"
[['autodiff', 'sipflow-autodiff'], ['nn', 'sipflow-nn'], ['physics', 'sipflow-physics'],
 ['physics/plot', 'sipflow-plot'], ['gpu', 'sipflow-gpu']].each { dir, artifact ->
    ['sources', 'javadoc'].each { kind ->
        def jar = new File(repoRoot, "$dir/target/$artifact-$sipflowVersion-${kind}.jar")
        assert jar.isFile() : "no $kind jar for $artifact: $jar"
        def entry = kind == 'javadoc' ? 'index.html' : 'io/sipflow/'
        def zip = new java.util.zip.ZipFile(jar)
        try {
            assert zip.entries().toList().any { it.name.startsWith(entry) } : "$jar holds no $entry"
        } finally {
            zip.close()
        }
    }
}
println "licence ${licenses}; sources and javadoc jars present for the five library modules"
return true
