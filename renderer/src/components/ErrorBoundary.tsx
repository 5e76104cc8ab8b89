import { Component, type ReactNode } from 'react';

/**
 * A view that fails to render (or a chunk that fails to load) shows what happened and a way on,
 * instead of an empty window. The words come from the caller, who has the translations.
 */
export class ErrorBoundary extends Component<
  { children: ReactNode; fallback: (message: string, retry: () => void) => ReactNode },
  { message: string | null }
> {
  override state: { message: string | null } = { message: null };

  static getDerivedStateFromError(error: unknown): { message: string } {
    return { message: error instanceof Error ? error.message : String(error) };
  }

  override componentDidCatch(error: unknown): void {
    console.error('Headroom: a view failed to render', error);
  }

  override render(): ReactNode {
    if (this.state.message === null) return this.props.children;
    return this.props.fallback(this.state.message, () => {
      this.setState({ message: null });
    });
  }
}
