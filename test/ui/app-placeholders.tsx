// The colleagues' panes, tested on their own: placeholders with the agreed props for tests that mount the whole App.
// Each test file mocks the real modules with these: vi.mock(path, () => import('./app-placeholders')).
export const DetailPane = (p: { id: string | null }) => <p>detail of {p.id ?? 'nothing'}</p>;
export const NewListenerForm = () => <form aria-label="New listener" />;
export const NewConnectionForm = () => <form aria-label="New connection" />;
