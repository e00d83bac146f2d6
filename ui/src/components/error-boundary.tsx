// Shows a screen's failure in words instead of leaving a frozen page, and lets the user retry.

import { Component, type ComponentChildren } from "preact";

type State = { error: Error | null };

export class ErrorBoundary extends Component<{ children: ComponentChildren }, State> {
  state: State = { error: null };

  componentDidCatch(error: Error) {
    console.error(error);
    this.setState({ error });
  }

  render() {
    if (this.state.error) {
      return (
        <div class="notice error" role="alert">
          <strong>This screen hit a problem and stopped.</strong> {this.state.error.message}{" "}
          <button type="button" class="secondary" onClick={() => this.setState({ error: null })}>
            Try again
          </button>
        </div>
      );
    }
    return this.props.children;
  }
}
