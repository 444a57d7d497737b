// The imports of `./sipflow jshell` (after jshell's default ones): the library's common packages.
import io.sipflow.autodiff.*;
import io.sipflow.autodiff.backend.*;
import io.sipflow.nn.*;
import io.sipflow.nn.Module;
import io.sipflow.physics.*;
import io.sipflow.physics.problem.*;
import io.sipflow.physics.train.*;
import io.sipflow.physics.plot.*;
