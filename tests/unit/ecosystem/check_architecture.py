#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""docs/ARCHITECTURE.md's dependency picture agrees with the CMake link graph.

The modules are the directories the top-level CMakeLists.txt adds in its `foreach(dir ...)`.
A module depends on another when a target defined in its CMakeLists.txt names, in
target_link_libraries, a certvigil_* library defined in the other's. The "Dependency direction"
section of docs/ARCHITECTURE.md has a code block with one line per module:

    MODULE ──▶ DEP, DEP (a note), DEP

(notes in parentheses are ignored; "(nothing ...)" alone means no dependency). Every module
has its line, and the edges are the same in both directions. A self-test first shows that a
missing or an extra edge is caught.

Usage: check_architecture.py SOURCE_DIR
"""
import pathlib
import re
import sys

ARROW = "──▶"


def modules(src):
    top = (src / "CMakeLists.txt").read_text()
    match = re.search(r"foreach\(dir ([^)]*)\)", top)
    if not match:
        sys.exit("CMakeLists.txt: no foreach(dir ...) listing the modules")
    return match.group(1).split()


def strip_comments(cmake):
    return "\n".join(line.split("#", 1)[0] for line in cmake.splitlines())


def cmake_graph(src, names):
    """{module: set of modules it links} from each module's CMakeLists.txt."""
    texts = {m: strip_comments((src / m / "CMakeLists.txt").read_text()) for m in names}
    owner = {}  # certvigil_* target -> module
    for module, text in texts.items():
        for target in re.findall(r"add_(?:library|executable)\(\s*(certvigil\w*)", text):
            owner[target] = module
    graph = {m: set() for m in names}
    for module, text in texts.items():
        for args in re.findall(r"target_link_libraries\(([^)]*)\)", text):
            for token in re.findall(r"\bcertvigil_\w+", args.split(None, 1)[1]):
                dep = owner.get(token)  # certvigil_warnings (cmake/) is no module
                if dep is not None and dep != module:
                    graph[module].add(dep)
    return graph


def doc_graph(text):
    """{module: set of modules} from the first code block of "## Dependency direction"."""
    section = re.search(r"^## Dependency direction\n(.*?)(?=^## )", text, re.S | re.M)
    if not section:
        raise ValueError('no "## Dependency direction" section')
    block = re.search(r"^```\n(.*?)^```", section.group(1), re.S | re.M)
    if not block:
        raise ValueError('no code block in "Dependency direction"')
    graph = {}
    for line in block.group(1).splitlines():
        if ARROW not in line:
            continue
        module, deps = (part.strip() for part in line.split(ARROW, 1))
        deps = re.sub(r"\([^)]*\)", "", deps)
        if module in graph:
            raise ValueError(f"module {module} has two lines")
        graph[module] = {d.strip() for d in deps.split(",") if d.strip()}
    return graph


def compare(code, doc):
    """Problems, one per line; empty when the two graphs agree."""
    problems = []
    for module in sorted(set(code) | set(doc)):
        if module not in doc:
            problems.append(f"{module}: a module with no line in ARCHITECTURE.md")
            continue
        if module not in code:
            problems.append(f"{module}: in ARCHITECTURE.md but not a module of CMakeLists.txt")
            continue
        for dep in sorted(code[module] - doc[module]):
            problems.append(f"{module} ──▶ {dep}: linked in {module}/CMakeLists.txt, "
                            "missing from ARCHITECTURE.md")
        for dep in sorted(doc[module] - code[module]):
            problems.append(f"{module} ──▶ {dep}: in ARCHITECTURE.md, not linked in "
                            f"{module}/CMakeLists.txt")
    return problems


def selftest():
    doc = doc_graph("## Dependency direction\n\n```\na ──▶ (nothing)\nb ──▶ a (why)\n```\n\n## X\n")
    assert doc == {"a": set(), "b": {"a"}}, doc
    assert not compare({"a": set(), "b": {"a"}}, doc)
    assert compare({"a": set(), "b": set()}, doc), "an extra documented edge passed"
    assert compare({"a": {"b"}, "b": {"a"}}, doc), "a missing edge passed"
    assert compare({"a": set(), "b": {"a"}, "c": set()}, doc), "a missing module passed"


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    selftest()
    src = pathlib.Path(sys.argv[1])
    code = cmake_graph(src, modules(src))
    try:
        doc = doc_graph((src / "docs" / "ARCHITECTURE.md").read_text())
    except ValueError as e:
        sys.exit(f"docs/ARCHITECTURE.md: {e}")
    problems = compare(code, doc)
    for problem in problems:
        print(f"FAIL: {problem}")
    if problems:
        return 1
    edges = sum(len(deps) for deps in code.values())
    print(f"ok: ARCHITECTURE.md lists the {edges} module dependencies of the CMake link graph")
    return 0


if __name__ == "__main__":
    sys.exit(main())
