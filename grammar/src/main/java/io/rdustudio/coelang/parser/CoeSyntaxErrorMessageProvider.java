package io.rdustudio.coelang.parser;

import org.eclipse.xtext.nodemodel.SyntaxErrorMessage;
import org.eclipse.xtext.parser.antlr.SyntaxErrorMessageProvider;

/**
 * Syntax errors in an operator's words: the parser's token names ({@code RULE_NUMBER},
 * {@code RULE_ID}) become "a number", "a name", "a quoted string".
 */
public class CoeSyntaxErrorMessageProvider extends SyntaxErrorMessageProvider {

    @Override
    public SyntaxErrorMessage getSyntaxErrorMessage(IParserErrorContext context) {
        SyntaxErrorMessage message = super.getSyntaxErrorMessage(context);
        return new SyntaxErrorMessage(plain(message.getMessage()), message.getIssueCode(), message.getIssueData());
    }

    @Override
    public SyntaxErrorMessage getSyntaxErrorMessage(IValueConverterErrorContext context) {
        SyntaxErrorMessage message = super.getSyntaxErrorMessage(context);
        return new SyntaxErrorMessage(plain(message.getMessage()), message.getIssueCode(), message.getIssueData());
    }

    static String plain(String message) {
        return message == null ? null : message.replace("RULE_NUMBER", "a number").replace("RULE_ID", "a name")
                .replace("RULE_STRING", "a quoted string").replace("<EOF>", "the end of the file");
    }
}
