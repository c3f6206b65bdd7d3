// Mounts the dashboard on one Store; the App opens the event stream.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { Store } from './state/store';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('no #root element in index.html');
const store = new Store();
createRoot(root).render(
  <StrictMode>
    <App store={store} />
  </StrictMode>,
);
