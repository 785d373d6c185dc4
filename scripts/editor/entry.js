// The query page's editor: CodeMirror 6 with the SPARQL grammar of
// codemirror-lang-sparql, bundled by build.sh into kg/static/sparql-editor.min.js
// as one script that sets window.ThbEditor. Nothing here loads anything at run time.
export { EditorView, basicSetup } from "codemirror";
export { EditorState, Prec } from "@codemirror/state";
export { keymap } from "@codemirror/view";
export { sparql } from "codemirror-lang-sparql";
export { autocompletion, completeFromList, startCompletion } from "@codemirror/autocomplete";
export { setDiagnostics, lintGutter } from "@codemirror/lint";
