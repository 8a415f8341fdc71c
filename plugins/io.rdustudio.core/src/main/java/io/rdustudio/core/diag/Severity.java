package io.rdustudio.core.diag;

public enum Severity {
    ERROR, WARNING, INFO, HINT
}
