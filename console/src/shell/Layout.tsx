import { type ReactNode, useState } from 'react';
import { Link, useLocation } from 'wouter';
import { useSession } from '../auth/session';
import { featuresFor } from '../features';
import { setLanguage, texts, useLanguage, useTexts } from '../i18n';
import { countUnsent } from '../offline/outbox';
import { useSync } from '../offline/useSync';
import { UpdateBanner } from './UpdateBanner';

const T = texts({
  id: {
    skip: 'Lewati ke isi',
    home: 'Beranda',
    menu: 'Menu utama',
    signOut: 'Keluar',
    offline: 'Luring: laporan disimpan di perangkat ini dan dikirim saat sambungan kembali.',
    retry: 'Coba sambung lagi',
    unsent: (n: number) =>
      `Ada ${n} laporan yang belum terkirim. Laporan itu tetap tersimpan di perangkat ini dan dikirim setelah Anda masuk lagi. Tetap keluar?`,
  },
  en: {
    skip: 'Skip to content',
    home: 'Home',
    menu: 'Main menu',
    signOut: 'Sign out',
    offline: 'Offline: reports are kept on this device and sent when the connection is back.',
    retry: 'Try to reconnect',
    unsent: (n: number) =>
      `${n} report(s) are not sent yet. They stay on this device and are sent after you sign in again. Sign out anyway?`,
  },
});

export function Layout({ children }: { children: ReactNode }) {
  const t = useTexts(T);
  const language = useLanguage();
  const { state, signOut, retry } = useSession();
  const [location] = useLocation();
  const [leaving, setLeaving] = useState(false);
  // Reports waiting on this device are sent from whatever screen is open when the network is back.
  useSync();
  const profile = state.status === 'signed-in' || state.status === 'offline' ? state.profile : null;

  async function leave() {
    if (!profile) return;
    const unsent = await countUnsent(profile.me.id);
    if (unsent > 0 && !window.confirm(t.unsent(unsent))) return;
    setLeaving(true);
    await signOut();
    setLeaving(false);
  }

  const current = (path: string) => (location === path || location.startsWith(`${path}/`) ? 'page' : undefined);

  return (
    <>
      <a className="skip" href="#main">
        {t.skip}
      </a>
      <header className="top">
        <Link href="/" className="brand">
          Bersinar
        </Link>
        <div className="top-tools">
          <label className="language">
            <span className="visually-hidden">Bahasa / Language</span>
            <select value={language} onChange={(e) => setLanguage(e.target.value === 'en' ? 'en' : 'id')}>
              <option value="id" lang="id">
                Indonesia
              </option>
              <option value="en" lang="en">
                English
              </option>
            </select>
          </label>
          {profile ? (
            <button type="button" onClick={leave} disabled={leaving}>
              {t.signOut}
            </button>
          ) : null}
        </div>
      </header>
      {profile ? (
        <nav aria-label={t.menu} className="menu">
          <Link href="/" aria-current={current('/') && location === '/' ? 'page' : undefined}>
            {t.home}
          </Link>
          {featuresFor(profile.me.role).map((feature) => (
            <Link key={feature.path} href={feature.path} aria-current={current(feature.path)}>
              {feature.label[language]}
            </Link>
          ))}
        </nav>
      ) : null}
      <UpdateBanner />
      {state.status === 'offline' ? (
        <div className="notice" role="status">
          {t.offline}{' '}
          <button type="button" onClick={() => void retry()}>
            {t.retry}
          </button>
        </div>
      ) : null}
      <main id="main">{children}</main>
    </>
  );
}
