// Writes docs/library.md's two Java blocks into this project's sources, so that the example users read is the one
// compiled and run here: block 1 (the problem and its network) with the imports its first comment names, block 2
// (the SIP training loop) inside a main method that then prints the test x_l2.
def docs = new File(libraryDocs).getText('UTF-8')
def blocks = (docs =~ /(?s)```java\n(.*?)```/).collect { it[1] }
def problem = blocks.find { it.contains('implements Problem') }
def loop = blocks.find { it.contains('Training.updateWeights') }
assert problem != null && loop != null : "docs/library.md lost its problem or its training loop block: ${blocks.size()} java blocks"

def header = problem.readLines().takeWhile { it.startsWith('//') }.collect { it.substring(2).trim() }.join(' ')
assert header.startsWith('imports:') : "the problem block must open with a '// imports: ...' comment, found: $header"
def imports = header.substring('imports:'.length()).replaceAll(/\([^)]*\)/, '').split(',')*.trim().findAll { it }
def importLines = imports.collect { "import ${it};" }.join('\n')

def src = new File(basedir, 'src/main/java')
src.mkdirs()
new File(src, 'Screened1d.java').setText(importLines + '\n\n' + problem, 'UTF-8')
new File(src, 'LibraryExample.java').setText(importLines + '''

/** docs/library.md's training loop, then the test x_l2 of the trained network. */
public class LibraryExample {
    public static void main(String[] args) {
''' + loop.readLines().collect { '        ' + it }.join('\n') + '''

        Problem.Batch test = problem.sample(256, new SplittableRandom(99));
        double xL2 = Autodiff.noGrad(() -> problem.metrics(problem.predict(net, test.yTarget()), test).get("x_l2")
                .mean().item());
        System.out.println("test x_l2 " + xL2);
    }
}
''', 'UTF-8')
println "wrote ${imports.size()} imports and 2 classes from ${libraryDocs}"
return true
